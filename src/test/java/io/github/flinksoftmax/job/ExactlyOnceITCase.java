package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.testing.DeliveryCheck;
import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.Records;
import io.github.flinksoftmax.testing.ReferenceSoftmax;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.TestJobs;
import io.github.flinksoftmax.testing.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly once through a real failure: the job is killed mid-stream after a checkpoint, restarts
 * from it, and a read_committed reader still sees every input once, each with the right
 * distribution, and every bad input once in the dead-letter topic. The same check is shown to
 * catch duplicates, in at-least-once mode and for a read_uncommitted reader that sees the aborted
 * transactions of both sinks.
 */
@ExtendWith(KafkaBroker.class)
class ExactlyOnceITCase {

    private static final int RECORDS = 3000;
    private static final int K = 8;
    /** Every fifth input is bad (a NaN logit), on both partitions: those go to the dead-letter sink, the rest to the output. */
    private static final List<String> BAD = IntStream.range(0, RECORDS).filter(ExactlyOnceITCase::bad)
            .mapToObj(DeliveryCheck::key).toList();
    private static final List<String> GOOD = IntStream.range(0, RECORDS).filter(i -> !bad(i))
            .mapToObj(DeliveryCheck::key).toList();

    /**
     * Flink's defaults, as a user's cluster has them: region failover, which restarts only the
     * failed parallel pipeline (source, softmax, sinks of one subtask) and leaves the other one
     * running. The test checks that this is what happened.
     */
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(4);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void failureAndRestoreLoseAndRepeatNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Run run = runWithOneFailure(cluster, "exactly-once");
        List<ConsumerRecord<byte[], byte[]>> committed = readUntilEveryIdIsThere(run.out, GOOD, true);
        DeliveryCheck count = DeliveryCheck.of(committed, GOOD);
        assertThat(run.restarts).as("the injected failure restarted the job").isGreaterThanOrEqualTo(1);
        assertThat(run.restartedSubtasks).as("subtasks restarted: only the failed region").isEqualTo(1);
        assertThat(count.missing()).as("missing ids").isZero();
        assertThat(count.duplicates()).as("duplicate ids").isZero();
        for (ConsumerRecord<byte[], byte[]> r : committed) {
            assertCorrect(r);
        }
        DeliveryCheck deadLetters = DeliveryCheck.of(readUntilEveryIdIsThere(run.dlq, BAD, true), BAD);
        assertThat(deadLetters.missing()).as("bad inputs missing from the dead-letter topic").isZero();
        assertThat(deadLetters.duplicates()).as("bad inputs dead-lettered twice").isZero();
        // the same checks catch duplicates: the aborted transactions' records are in both logs
        DeliveryCheck uncommitted = DeliveryCheck.of(readUntilEveryIdIsThere(run.out, GOOD, false), GOOD);
        assertThat(uncommitted.duplicates()).as("duplicates seen by read_uncommitted").isPositive();
        DeliveryCheck uncommittedDeadLetters = DeliveryCheck.of(readUntilEveryIdIsThere(run.dlq, BAD, false), BAD);
        assertThat(uncommittedDeadLetters.duplicates())
                .as("dead letters of the aborted transaction seen by read_uncommitted: the failure hit while the "
                        + "dead-letter sink had records in flight").isPositive();
    }

    @Test
    void atLeastOnceRepeatsRecordsAfterTheSameFailure(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Run run = runWithOneFailure(cluster, "at-least-once");
        DeliveryCheck count = DeliveryCheck.of(readUntilEveryIdIsThere(run.out, GOOD, true), GOOD);
        assertThat(run.restarts).isGreaterThanOrEqualTo(1);
        assertThat(count.missing()).isZero();
        assertThat(count.duplicates()).as("at-least-once replays what followed the last checkpoint").isPositive();
        assertThat(DeliveryCheck.of(readUntilEveryIdIsThere(run.dlq, BAD, true), BAD).missing()).isZero();
    }

    private record Run(String out, String dlq, int restarts, int restartedSubtasks) {}

    /**
     * Reads the whole topic until every expected id is there (duplicates arrive as well, so a count
     * of records says nothing), then once more, so late duplicates are counted too.
     */
    private static List<ConsumerRecord<byte[], byte[]>> readUntilEveryIdIsThere(String topic, List<String> ids,
            boolean readCommitted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<ConsumerRecord<byte[], byte[]>> records;
        do {
            records = KafkaBroker.read(topic, readCommitted, ids.size(), Duration.ofMillis(500), Duration.ofSeconds(30));
        } while (DeliveryCheck.of(records, ids).missing() > 0 && System.nanoTime() < deadline);
        return KafkaBroker.read(topic, readCommitted, records.size(), Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    private Run runWithOneFailure(MiniCluster cluster, String guarantee) throws Exception {
        List<String> t = KafkaBroker.createTopics(guarantee, 2, "in", "out", "dlq");
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            in.add(new ProducerRecord<>(t.get(0), i % 2, key(i), bad(i) ? Records.utf8("[1.0, NaN]") : logitsJson(i)));
        }
        KafkaBroker.produce(in);
        JobConfig config = TestJobs.config(t.get(0), t.get(1), t.get(2),
                Map.of("delivery.guarantee", guarantee, "parallelism", "2"));
        String failureId = t.get(0);
        try (RunningJob job = RunningJob.start(cluster, config,
                stream -> stream.map(new FailOnceAfterCheckpoint(failureId, RECORDS / 4)).name("fault").uid("fault"))) {
            // wait until everything went through once more after the restart, then for two more
            // checkpoints: whatever the job still writes (a late duplicate) is committed by then
            readUntilEveryIdIsThere(t.get(1), GOOD, true);
            readUntilEveryIdIsThere(t.get(2), BAD, true);
            job.awaitCompletedCheckpoints(2, Duration.ofSeconds(60));
            assertThat(FailOnceAfterCheckpoint.FAILED).contains(failureId);
            return new Run(t.get(1), t.get(2), job.restarts(), job.restartedSubtasks());
        }
    }

    private static boolean bad(int i) {
        return i % 5 == 3;
    }

    private static byte[] key(int i) {
        return DeliveryCheck.key(i).getBytes(StandardCharsets.UTF_8);
    }

    private static float[] logits(int i) {
        float[] z = new float[K];
        for (int j = 0; j < K; j++) {
            z[j] = (float) Math.sin(i * 0.37 + j * 1.3) * 4;
        }
        return z;
    }

    private static byte[] logitsJson(int i) throws Exception {
        return JSON.writeValueAsBytes(logits(i));
    }

    private static void assertCorrect(ConsumerRecord<byte[], byte[]> r) throws Exception {
        int i = DeliveryCheck.index(r);
        double[] expected = ReferenceSoftmax.softmax(logits(i), 1.0);
        JsonNode probabilities = JSON.readTree(r.value()).get("probabilities");
        assertThat(probabilities).hasSize(K);
        for (int j = 0; j < K; j++) {
            Records.assertClose("p" + j, probabilities.get(j).floatValue(), expected[j]);
        }
    }

    /**
     * Throws once per test run, in the first subtask, after a checkpoint completed and enough
     * records passed, so the restart has a checkpoint to restore and an open transaction to
     * abort. It throttles records so checkpoints happen while records flow.
     */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<KafkaRecord, KafkaRecord>
            implements CheckpointListener {

        static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

        private final String id;
        private final int after;
        private transient AtomicInteger seen;
        private transient volatile boolean checkpointed;

        FailOnceAfterCheckpoint(String id, int after) {
            this.id = id;
            this.after = after;
        }

        @Override
        public void open(OpenContext openContext) {
            seen = new AtomicInteger();
        }

        @Override
        public KafkaRecord map(KafkaRecord r) throws Exception {
            Thread.sleep(1);
            if (seen.incrementAndGet() >= after && checkpointed
                    && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0 && FAILED.add(id)) {
                // give the sinks time to send the open transaction's records, so the abort is visible
                Thread.sleep(500);
                throw new IllegalStateException("injected failure for " + id);
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
