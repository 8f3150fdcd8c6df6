package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/**
 * The latency histogram counts only inputs that carry a timestamp, in milliseconds, over the
 * most recent {@link SoftmaxMetrics#LATENCY_WINDOW} outputs. Flink's own unregistered group
 * hands back the real metric objects, so the test reads what a reporter would.
 */
class SoftmaxMetricsTest {

    private final SoftmaxMetrics metrics = new SoftmaxMetrics(new UnregisteredMetricsGroup(), 256);

    @Test
    void latencyIsNowMinusTheInputTimestampInMilliseconds() {
        long now = 1_750_000_000_000L;
        for (int ms = 1; ms <= 100; ms++) {
            metrics.emitted(now - ms, now);
        }
        HistogramStatistics stats = metrics.latencyMs.getStatistics();
        assertThat(metrics.latencyMs.getCount()).isEqualTo(100);
        assertThat(stats.getMin()).isEqualTo(1);
        assertThat(stats.getMax()).isEqualTo(100);
        assertThat(stats.getQuantile(0.5)).isBetween(50.0, 51.0);
    }

    @Test
    void inputsWithoutATimestampAreNotCounted() {
        metrics.emitted(-1, 1_000); // Kafka's RecordBatch.NO_TIMESTAMP
        metrics.emitted(Long.MIN_VALUE, 1_000); // KafkaRecord's unset value
        assertThat(metrics.latencyMs.getCount()).isZero();
        metrics.emitted(0, 1_000); // the epoch itself is a timestamp
        assertThat(metrics.latencyMs.getCount()).isEqualTo(1);
    }

    @Test
    void theHistogramKeepsTheMostRecentWindow() {
        for (int i = 0; i < SoftmaxMetrics.LATENCY_WINDOW; i++) {
            metrics.emitted(0, 1_000_000); // an old slow spell
        }
        for (int i = 0; i < SoftmaxMetrics.LATENCY_WINDOW; i++) {
            metrics.emitted(995, 1_000);
        }
        assertThat(metrics.latencyMs.getCount()).isEqualTo(2L * SoftmaxMetrics.LATENCY_WINDOW);
        assertThat(metrics.latencyMs.getStatistics().getMax()).isEqualTo(5);
        assertThat(metrics.latencyMs.getStatistics().size()).isEqualTo(SoftmaxMetrics.LATENCY_WINDOW);
    }
}
