package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.RunningJob;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(KafkaBroker.class)
class SmokeITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @Test
    void smoke(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<String> t = KafkaBroker.createTopics("smoke", 2, "in", "out", "dlq");
        JobConfig config = JobConfig.of(Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "input.topic", t.get(0), "output.topic", t.get(1), "dead-letter.topic", t.get(2),
                "checkpoint.interval", "500ms", "parallelism", "2"));
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            in.add(new ProducerRecord<>(t.get(0), ("k" + i).getBytes(), ("[1," + i + ",3]").getBytes(StandardCharsets.UTF_8)));
        }
        in.add(new ProducerRecord<>(t.get(0), "bad".getBytes(), "nope".getBytes()));
        try (RunningJob job = RunningJob.start(cluster, config)) {
            KafkaBroker.produce(in);
            List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.read(t.get(1), true, 100, Duration.ofSeconds(1), Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> dlq = KafkaBroker.read(t.get(2), true, 1, Duration.ofSeconds(1), Duration.ofSeconds(60));
            assertThat(out).hasSize(100);
            assertThat(dlq).hasSize(1);
            assertThat(job.restarts()).isZero();
        }
    }
}
