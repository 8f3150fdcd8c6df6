package io.github.flinksoftmax.job;

import io.github.flinksoftmax.format.Reason;

import java.util.EnumMap;
import java.util.Map;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The operator's metrics, under the group {@code softmax}: records in and out, rows out, dead
 * letters in total and by reason (a {@code reason} sub-group per code, so a reporter such as
 * Prometheus sees it as a label), the vector width of the kernel that runs, and a histogram of
 * the latency from an input's Kafka timestamp to the emit of its output. Every metric is a
 * number, so every reporter, Prometheus included, shows all of them. Not thread-safe beyond what
 * Flink's metric types guarantee: only the operator's task thread updates them.
 */
final class SoftmaxMetrics {

    /**
     * Latencies the histogram keeps, the most recent ones. Prometheus' reporter reads quantiles up
     * to 0.999: over Flink's latency-tracking default of 128 samples that quantile is simply the
     * maximum; over 1,024 it still has a sample above it. A scrape copies and sorts the window
     * (8 KB) once; a record only writes one slot.
     */
    static final int LATENCY_WINDOW = 1024;

    final Counter recordsIn;
    final Counter recordsOut;
    final Counter rowsOut;
    final Counter deadLetters;
    /** Milliseconds from an input's Kafka timestamp to the emit of its output. */
    final Histogram latencyMs;
    private final Map<Reason, Counter> byReason = new EnumMap<>(Reason.class);

    /** Registers the metrics; {@code vectorBits} is the kernel's vector width, 0 for the scalar kernel. */
    SoftmaxMetrics(MetricGroup operatorGroup, int vectorBits) {
        MetricGroup group = operatorGroup.addGroup("softmax");
        recordsIn = group.counter("recordsIn");
        recordsOut = group.counter("recordsOut");
        rowsOut = group.counter("rowsOut");
        deadLetters = group.counter("deadLetters");
        for (Reason reason : Reason.values()) {
            byReason.put(reason, group.addGroup("reason", reason.code()).counter("deadLetters"));
        }
        // the kernel's name ("scalar", "vector-256") follows from the width alone, and a string gauge
        // is dropped by Prometheus' reporter: the width is the one kernel metric
        group.gauge("vectorBits", (Gauge<Integer>) () -> vectorBits);
        // Flink's own implementation (flink-runtime, on every cluster's class path, so not bundled),
        // the one its latency tracking uses; thread-safe for the reporter's reads
        latencyMs = group.histogram("latencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    }

    void deadLetter(Reason reason) {
        deadLetters.inc();
        byReason.get(reason).inc();
    }

    /**
     * Counts an output emitted at {@code nowMillis} for an input with Kafka timestamp
     * {@code inputTimestamp} (milliseconds since the epoch). An input without a timestamp
     * (negative: Kafka's -1, or {@link KafkaRecord}'s unset value) is not counted. A negative
     * latency is kept as it is: it says the producer's clock is ahead of the TaskManager's.
     */
    void emitted(long inputTimestamp, long nowMillis) {
        if (inputTimestamp >= 0) {
            latencyMs.update(nowMillis - inputTimestamp);
        }
    }
}
