package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.testing.DeliveryCheck;
import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.MiniClusters;
import io.github.flinksoftmax.testing.Records;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.TestJobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.test.util.MiniClusterWithClientResource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator uids and their state are a contract with every savepoint users have taken: a
 * canonical savepoint written by release {@value #RELEASE} (committed under
 * {@code src/test/resources/savepoints/}) must restore into the current build, which goes on
 * exactly where it stopped. Flink refuses a savepoint whose state has no operator to go to
 * ({@code execution.savepoint.ignore-unclaimed-state} stays false), so a renamed uid fails here.
 *
 * <p>The savepoint was taken after the job had read the first {@value #BEFORE} inputs of a
 * one-partition topic; restored on a fresh broker holding the same {@value #ALL} inputs, the job
 * must bring out exactly the rest, each once. Control: with {@code SoftmaxPipeline.SOURCE_UID}
 * renamed, the restore fails ("job ended before running: FAILED"). {@link #main} writes a new
 * fixture for a new release, after {@code mvn test-compile dependency:build-classpath
 * -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath}: {@code java
 * --add-modules=jdk.incubator.vector <the pom's flink.test.opens> -cp
 * "target/test-classes:target/classes:$(cat target/test.classpath)"
 * io.github.flinksoftmax.job.SavepointCompatibilityITCase src/test/resources/savepoints/<release>}.
 */
@ExtendWith(KafkaBroker.class)
class SavepointCompatibilityITCase {

    static final String RELEASE = "0.1.0";
    private static final String NAME = "savepoint-compat";
    private static final int BEFORE = 500;
    private static final int ALL = 1_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(1);

    @Test
    void aSavepointOfTheFirstReleaseRestoresAndTheJobGoesOnExactlyOnce(@InjectMiniCluster MiniCluster cluster,
            @TempDir Path dir) throws Exception {
        Path savepoint = copy(Path.of("src/test/resources/savepoints", RELEASE), dir.resolve(RELEASE));
        createTopics();
        KafkaBroker.produce(inputs(0, ALL));
        try (RunningJob job = RunningJob.restore(cluster, config(), savepoint.toUri().toString())) {
            awaitOut(keys(BEFORE, ALL));
            job.awaitCompletedCheckpoints(2, Duration.ofSeconds(60));
        }
        List<ConsumerRecord<byte[], byte[]>> out = read(ALL);
        assertThat(out).as("outputs of inputs read before the savepoint")
                .noneMatch(r -> DeliveryCheck.index(r) < BEFORE);
        DeliveryCheck check = DeliveryCheck.of(out, keys(BEFORE, ALL));
        assertThat(check.missing()).isZero();
        assertThat(check.duplicates()).isZero();
    }

    /** Writes the savepoint fixture into {@code args[0]}: the job reads {@value #BEFORE} inputs, then stops with a savepoint. */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        MiniClusterWithClientResource flink = new MiniClusterWithClientResource(
                new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());
        try (AutoCloseable broker = KafkaBroker.startOutsideJUnit()) {
            flink.before();
            createTopics();
            KafkaBroker.produce(inputs(0, BEFORE));
            Path savepoints = Files.createTempDirectory("savepoint-fixture");
            String written;
            try (RunningJob job = RunningJob.start(flink.getMiniCluster(), config())) {
                awaitOut(keys(0, BEFORE));
                job.awaitCompletedCheckpoints(1, Duration.ofSeconds(60));
                written = job.stopWithSavepoint(savepoints);
            }
            copy(Path.of(java.net.URI.create(written)), target);
            System.out.println("savepoint of " + BEFORE + " inputs written to " + target);
        } finally {
            flink.after();
        }
    }

    /** The same job as the release's: its name gives the consumer group and transactional ids. */
    private static JobConfig config() {
        return TestJobs.config(NAME + "-logits", NAME + "-probabilities", NAME + "-dead-letters",
                Map.of("job.name", NAME, "input.starting-offsets", "earliest"));
    }

    /** The release's topic names: the source's state names its partitions. */
    private static void createTopics() throws Exception {
        KafkaBroker.createTopics(List.of(new NewTopic(NAME + "-logits", 1, (short) 1),
                new NewTopic(NAME + "-probabilities", 1, (short) 1), new NewTopic(NAME + "-dead-letters", 1, (short) 1)));
    }

    private static void awaitOut(List<String> keys) {
        KafkaBroker.awaitKeys(NAME + "-probabilities", keys, Duration.ofSeconds(90));
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(int expected) {
        return KafkaBroker.read(NAME + "-probabilities", true, expected, Duration.ofMillis(300), Duration.ofSeconds(10));
    }

    private static List<ProducerRecord<byte[], byte[]>> inputs(int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(Records.record(NAME + "-logits", DeliveryCheck.key(i), Records.utf8("[0.5, 1.5, -2.0]")));
        }
        return records;
    }

    private static List<String> keys(int from, int to) {
        return IntStream.range(from, to).mapToObj(DeliveryCheck::key).toList();
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }
}
