package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.JobConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The client defaults apply where the user set nothing, and a user's {@code kafka.*} setting always wins. */
class KafkaClientDefaultsTest {

    @Test
    void defaultsFillWhatTheUserLeftUnset() {
        Properties producer = KafkaClientDefaults.producer(config(Map.of()));
        assertThat(producer).containsEntry("batch.size", "1048576").containsEntry("max.request.size", "1048576")
                .containsEntry("transaction.timeout.ms", "600000")
                // measured not to pay: Kafka's own defaults stay
                .doesNotContainKeys("linger.ms", "buffer.memory", "compression.type");
        Properties consumer = KafkaClientDefaults.consumer(config(Map.of()));
        assertThat(consumer).containsEntry("isolation.level", "read_committed")
                .doesNotContainKeys("max.partition.fetch.bytes", "fetch.max.bytes");
    }

    @Test
    void theUsersSettingsWinOnEitherPrefix() {
        JobConfig config = config(Map.of("kafka.linger.ms", "50", "kafka.sink.batch.size", "65536",
                "kafka.source.max.partition.fetch.bytes", "1048576", "kafka.isolation.level", "read_uncommitted"));
        assertThat(KafkaClientDefaults.producer(config)).containsEntry("linger.ms", "50").containsEntry("batch.size", "65536");
        assertThat(KafkaClientDefaults.consumer(config)).containsEntry("max.partition.fetch.bytes", "1048576")
                .containsEntry("isolation.level", "read_uncommitted");
    }

    @Test
    void sizesFollowALargerRecordLimit() {
        JobConfig config = config(Map.of("softmax.max-record-bytes", "100mb"));
        assertThat(KafkaClientDefaults.producer(config)).containsEntry("max.request.size", Integer.toString(100 << 20))
                .containsEntry("buffer.memory", Long.toString(200L << 20));
    }

    private static JobConfig config(Map<String, String> extra) {
        Map<String, Object> raw = new HashMap<>(Map.of("kafka.bootstrap.servers", "localhost:9092",
                "input.topic", "in", "output.topic", "out"));
        raw.putAll(extra);
        return JobConfig.of(raw);
    }
}
