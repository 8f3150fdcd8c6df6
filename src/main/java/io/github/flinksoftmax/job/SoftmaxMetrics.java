package io.github.flinksoftmax.job;

import io.github.flinksoftmax.format.Reason;

import java.util.EnumMap;
import java.util.Map;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The operator's metrics, under the group {@code softmax}: records in and out, rows out, dead
 * letters in total and by reason (a {@code reason} sub-group per code, so a reporter such as
 * Prometheus sees it as a label), and which kernel runs with what vector width.
 */
final class SoftmaxMetrics {

    final Counter recordsIn;
    final Counter recordsOut;
    final Counter rowsOut;
    final Counter deadLetters;
    private final Map<Reason, Counter> byReason = new EnumMap<>(Reason.class);

    SoftmaxMetrics(MetricGroup operatorGroup, String kernelName, int vectorBits) {
        MetricGroup group = operatorGroup.addGroup("softmax");
        recordsIn = group.counter("recordsIn");
        recordsOut = group.counter("recordsOut");
        rowsOut = group.counter("rowsOut");
        deadLetters = group.counter("deadLetters");
        for (Reason reason : Reason.values()) {
            byReason.put(reason, group.addGroup("reason", reason.code()).counter("deadLetters"));
        }
        group.gauge("kernel", (Gauge<String>) () -> kernelName);
        group.gauge("vectorBits", (Gauge<Integer>) () -> vectorBits);
    }

    void deadLetter(Reason reason) {
        deadLetters.inc();
        byReason.get(reason).inc();
    }
}
