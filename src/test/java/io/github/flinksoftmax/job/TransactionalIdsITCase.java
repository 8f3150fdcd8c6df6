package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.testing.DeliveryCheck;
import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.MiniClusters;
import io.github.flinksoftmax.testing.Records;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.TestJobs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How many transactional ids the exactly-once sinks leave on the broker, which keeps each one for
 * {@code transactional.id.expiration.ms} (7 days by default), counted with Kafka's own
 * ListTransactions while records flow through many short checkpoints. The default,
 * {@code delivery.transaction-naming: pooling}, stays at a few per subtask and sink however many
 * checkpoints pass; {@code incrementing}, the control, shows that the count does grow with each
 * checkpoint when ids are not reused.
 */
@ExtendWith(KafkaBroker.class)
class TransactionalIdsITCase {

    private static final int RECORDS = 1000;
    private static final int CHECKPOINTS = 30;

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @Test
    void poolingKeepsAFewIdsPerSubtaskAndSinkAcrossManyCheckpoints(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Map<String, Integer> ids = idsPerSubtaskAndSink(cluster, Map.of());
        assertThat(ids).as("subtask and sink -> transactional ids").hasSize(4);
        // one transaction open while the last one commits, and a third should checkpoints overlap
        assertThat(ids.values()).as("ids per subtask and sink after %d checkpoints", CHECKPOINTS)
                .allSatisfy(n -> assertThat(n).isBetween(1, 3));
    }

    @Test
    void incrementingTakesANewIdAtEveryCheckpoint(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Map<String, Integer> ids = idsPerSubtaskAndSink(cluster, Map.of("delivery.transaction-naming", "incrementing"));
        assertThat(ids).as("subtask and sink -> transactional ids").hasSize(4);
        assertThat(ids.values()).as("ids per subtask and sink after %d checkpoints", CHECKPOINTS)
                .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(CHECKPOINTS));
    }

    /**
     * Runs the job exactly-once, parallelism 2, through {@link #CHECKPOINTS} checkpoints with records
     * in flight, checks every record came out, and returns the number of transactional ids the
     * broker lists per {@code sink-subtask} ({@code out-0}, {@code dlq-1}, ..).
     */
    private static Map<String, Integer> idsPerSubtaskAndSink(MiniCluster cluster, Map<String, String> options)
            throws Exception {
        List<String> t = KafkaBroker.createTopics("txn-ids", 2, "in", "out", "dlq");
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            in.add(new ProducerRecord<>(t.get(0), i % 2, DeliveryCheck.key(i).getBytes(StandardCharsets.UTF_8),
                    Records.utf8("[" + i % 7 + ".5, -1.0, 0.25]")));
        }
        KafkaBroker.produce(in);
        Map<String, String> overrides = new TreeMap<>(options);
        overrides.put("parallelism", "2");
        overrides.put("checkpoint.interval", "100ms");
        JobConfig config = TestJobs.config(t.get(0), t.get(1), t.get(2), overrides);
        // 3 ms a record: 500 records per subtask last 1.5 s, fifteen checkpoints with records in flight
        try (RunningJob job = RunningJob.start(cluster, config,
                stream -> stream.map(new Throttle()).name("throttle").uid("throttle"))) {
            job.awaitCompletedCheckpoints(CHECKPOINTS, Duration.ofSeconds(90));
            DeliveryCheck out = DeliveryCheck.of(
                    KafkaBroker.read(t.get(1), true, RECORDS, Duration.ofMillis(500), Duration.ofSeconds(30)), RECORDS);
            assertThat(out.missing()).as("records missing from the committed output").isZero();
            assertThat(out.duplicates()).as("duplicate records in the committed output").isZero();
            Map<String, Integer> ids = listIds(config.transactionalIdPrefix());
            System.out.printf("transactional ids after %d checkpoints, %s: %s%n", job.completedCheckpoints(),
                    config.get(SoftmaxOptions.DELIVERY_TRANSACTION_NAMING), ids);
            return ids;
        }
    }

    /** The transactional ids the broker lists under {@code prefix}, counted per {@code sink-subtask}. */
    private static Map<String, Integer> listIds(String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.bootstrapServers()))) {
            // ids look like <prefix>-<sink>-<subtask>-<number>
            return admin.listTransactions().all().get().stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(prefix + "-"))
                    .map(id -> id.substring(prefix.length() + 1, id.lastIndexOf('-')))
                    .collect(Collectors.groupingBy(sinkAndSubtask -> sinkAndSubtask, TreeMap::new,
                            Collectors.summingInt(id -> 1)));
        }
    }

    /** Slows each record so that checkpoints complete while records are still being written. */
    private static final class Throttle implements MapFunction<KafkaRecord, KafkaRecord> {
        @Override
        public KafkaRecord map(KafkaRecord r) throws Exception {
            Thread.sleep(3);
            return r;
        }
    }
}
