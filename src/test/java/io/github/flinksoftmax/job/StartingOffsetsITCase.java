package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.testing.DeliveryCheck;
import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.MiniClusters;
import io.github.flinksoftmax.testing.Records;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.TestJobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code input.starting-offsets} end to end, for a job that starts without a checkpoint or
 * savepoint: {@code committed} resumes where the job's consumer group committed, so a job
 * cancelled and started again reads neither less nor more; {@code latest} skips the history.
 *
 * <p>The source commits a checkpoint's offsets to the group from its fetch thread, between two
 * polls of the consumer; with no new input a poll waits up to its timeout (10 s), so the group's
 * offsets can trail the last checkpoint by that long. The test waits for the commit, as an
 * operator stopping a job without a savepoint would have to.
 */
@ExtendWith(KafkaBroker.class)
class StartingOffsetsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    private static final int FIRST = 500;
    private static final int SECOND = 500;

    @Test
    void committedResumesWhereTheGroupCommittedAfterAStopWithoutSavepoint(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        DeliveryCheck check = stopAndStartAgain(cluster, "committed");
        assertThat(check.missing()).as("inputs missing after the second start").isZero();
        assertThat(check.duplicates()).as("inputs the first run had committed, read again").isZero();
    }

    @Test
    void latestSkipsTheHistory(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<String> t = KafkaBroker.createTopics("offsets-latest", 1, "in", "out", "dlq");
        KafkaBroker.produce(inputs(t.get(0), 0, FIRST));
        JobConfig config = TestJobs.config(t.get(0), t.get(1), t.get(2), Map.of("input.starting-offsets", "latest"));
        try (RunningJob job = RunningJob.start(cluster, config)) {
            // the source takes "latest" when it first assigns the partition, some time after the job
            // runs: markers go in one by one until one comes out, and only then the new inputs
            int markers = 0;
            while (KafkaBroker.read(t.get(1), true, 1, Duration.ZERO, Duration.ofMillis(500)).isEmpty()) {
                assertThat(markers).as("markers written before one came out").isLessThan(120);
                KafkaBroker.produce(List.of(Records.record(t.get(0), "marker-" + markers++, logits())));
            }
            KafkaBroker.produce(inputs(t.get(0), FIRST, FIRST + SECOND));
            awaitAll(t.get(1), keys(FIRST, FIRST + SECOND));
            job.awaitCompletedCheckpoints(2, Duration.ofSeconds(60));
        }
        List<ConsumerRecord<byte[], byte[]>> out = read(t.get(1), FIRST + SECOND);
        List<String> seen = out.stream().map(r -> Records.string(r.key())).toList();
        assertThat(seen).as("history inputs read").noneMatch(keys(0, FIRST)::contains);
        List<ConsumerRecord<byte[], byte[]>> fresh = out.stream()
                .filter(r -> !Records.string(r.key()).startsWith("marker-")).toList();
        DeliveryCheck check = DeliveryCheck.of(fresh, keys(FIRST, FIRST + SECOND));
        assertThat(check.missing()).isZero();
        assertThat(check.duplicates()).isZero();
    }

    /**
     * Runs the job on the first half of the input until it is all out and the group has committed
     * its offsets, cancels it (no savepoint), writes the second half, and starts the same job (same
     * name, so the same consumer group) again.
     */
    private static DeliveryCheck stopAndStartAgain(MiniCluster cluster, String startingOffsets) throws Exception {
        List<String> t = KafkaBroker.createTopics("offsets-" + startingOffsets, 1, "in", "out", "dlq");
        String name = "offsets-" + startingOffsets + "-" + UUID.randomUUID().toString().substring(0, 8);
        JobConfig config = TestJobs.config(t.get(0), t.get(1), t.get(2),
                Map.of("job.name", name, "input.starting-offsets", startingOffsets));
        KafkaBroker.produce(inputs(t.get(0), 0, FIRST));
        try (RunningJob job = RunningJob.start(cluster, config)) {
            awaitAll(t.get(1), keys(0, FIRST));
            job.awaitCompletedCheckpoints(2, Duration.ofSeconds(60));
            awaitGroupOffset(name, new TopicPartition(t.get(0), 0), FIRST);
        }
        KafkaBroker.produce(inputs(t.get(0), FIRST, FIRST + SECOND));
        try (RunningJob job = RunningJob.start(cluster, config)) {
            awaitAll(t.get(1), keys(0, FIRST + SECOND));
            job.awaitCompletedCheckpoints(2, Duration.ofSeconds(60));
        }
        return DeliveryCheck.of(read(t.get(1), FIRST + SECOND), keys(0, FIRST + SECOND));
    }

    private static void awaitGroupOffset(String group, TopicPartition partition, long offset) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                        .get(partition);
                if (committed != null && committed.offset() >= offset) {
                    return;
                }
                assertThat(System.nanoTime()).as("group %s committed offset %d within 60 s", group, offset)
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private static void awaitAll(String topic, List<String> keys) {
        KafkaBroker.awaitKeys(topic, keys, Duration.ofSeconds(90));
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
        return KafkaBroker.read(topic, true, expected, Duration.ofMillis(300), Duration.ofSeconds(10));
    }

    private static List<ProducerRecord<byte[], byte[]>> inputs(String topic, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(Records.record(topic, DeliveryCheck.key(i), logits()));
        }
        return records;
    }

    private static List<String> keys(int from, int to) {
        return IntStream.range(from, to).mapToObj(DeliveryCheck::key).toList();
    }

    private static byte[] logits() {
        return Records.utf8("[1.0, 2.0, 0.5]");
    }
}
