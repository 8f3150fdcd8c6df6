package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import static io.github.flinksoftmax.testing.Records.float32;
import static io.github.flinksoftmax.testing.Records.floats;
import static io.github.flinksoftmax.testing.Records.record;
import static io.github.flinksoftmax.testing.Records.utf8;

import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.Records;
import io.github.flinksoftmax.testing.ReferenceSoftmax;
import io.github.flinksoftmax.testing.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The size limits with a 512 MB heap, the job in its own JVM ({@link BoundedHeapJob}): an 8 MiB
 * record of 2^21 logits is processed in both float32le and JSON (whose output is 25 MB); one
 * logit more, or a record over {@code softmax.max-record-bytes}, becomes a {@code too-long} dead
 * letter (cut to fit the limit, its original length in a header); small records after them flow
 * normally; and the job neither fails nor restarts, nor does the JVM run out of memory. And the one
 * case the job cannot absorb, a topic that accepts less than {@code softmax.max-record-bytes}:
 * the job fails and restarts on that record, losing and skipping nothing, and recovers by itself
 * once the topic's {@code max.message.bytes} is raised.
 */
@ExtendWith(KafkaBroker.class)
class LimitsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ELEMENTS = 2_097_152;
    private static final int MIB = 1 << 20;
    private static final int SMALL = 5;

    @Test
    void float32leAt8MiBIsProcessedAndBeyondIsTooLong() throws Exception {
        int limit = 8 * MIB + 64 * 1024; // as jobs/lm-scoring-float32le.yaml sets it
        Map<String, byte[]> big = new LinkedHashMap<>();
        big.put("at-limit", float32(logits(MAX_ELEMENTS)));
        big.put("one-more", float32(logits(MAX_ELEMENTS + 1)));
        big.put("32mib", float32(logits(4 * MAX_ELEMENTS)));
        run("float32le", limit, big, Map.of("at-limit", "out", "one-more", "too-long", "32mib", "too-long"),
                (key, value) -> {
                    float[] p = floats(value);
                    assertThat(p).hasSize(MAX_ELEMENTS);
                    assertDistribution(p, logits(MAX_ELEMENTS));
                },
                value -> float32(logits(7)), value -> assertDistribution(floats(value), logits(7)));
    }

    @Test
    void jsonAt8MBWithTwoMillionLogitsIsProcessedAndBeyondIsTooLong() throws Exception {
        int limit = 32 * MIB; // room for the 25 MB output of 2^21 probabilities as text
        Map<String, byte[]> big = new LinkedHashMap<>();
        big.put("at-limit", jsonLogits(MAX_ELEMENTS));
        big.put("one-more", jsonLogits(MAX_ELEMENTS + 1));
        big.put("40mb", jsonLogits(10_000_000));
        run("json", limit, big, Map.of("at-limit", "out", "one-more", "too-long", "40mb", "too-long"),
                (key, value) -> {
                    JsonNode p = JSON.readTree(value).get("probabilities");
                    float[] f = new float[p.size()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = p.get(i).floatValue();
                    }
                    assertDistribution(f, jsonValues(MAX_ELEMENTS));
                },
                value -> JSON.writeValueAsBytes(logits(7)),
                value -> {
                    JsonNode p = JSON.readTree(value).get("probabilities");
                    assertDistribution(JSON.treeToValue(p, float[].class), logits(7));
                });
    }

    @Test
    void aTopicThatAcceptsLessThanTheLimitStallsTheJobUntilItIsRaised(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String run = "small-topic-" + UUID.randomUUID().toString().substring(0, 8);
        String in = run + "-in";
        String out = run + "-out";
        String dlq = run + "-dlq";
        createTopics(Map.of(in, MIB, out, MIB, dlq, 2_048)); // the job's limit stays at its default, 1 MiB
        byte[] bad = utf8("[" + "1, ".repeat(2_000)); // malformed, and 6 KB: more than the dead-letter topic takes
        KafkaBroker.produce(List.of(record(in, "bad", bad), record(in, "good", JSON.writeValueAsBytes(logits(7)))));
        try (var job = io.github.flinksoftmax.testing.RunningJob.start(cluster,
                io.github.flinksoftmax.testing.TestJobs.config(in, out, dlq, Map.of()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (job.restarts() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(job.restarts()).as("restarts while the topic refuses the dead letter").isGreaterThanOrEqualTo(2);
            assertThat(KafkaBroker.read(dlq, true, 1, Duration.ZERO, Duration.ofSeconds(3))).isEmpty();

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()))) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, dlq),
                        List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", Integer.toString(MIB)),
                                AlterConfigOp.OpType.SET)))).all().get();
            }
            List<ConsumerRecord<byte[], byte[]>> dead = KafkaBroker.read(dlq, true, 1, Duration.ofSeconds(2),
                    Duration.ofSeconds(120));
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo(bad);
            assertThat(KafkaBroker.header(dead.get(0), DeadLetters.REASON)).isEqualTo("malformed-json");
            List<ConsumerRecord<byte[], byte[]>> good = KafkaBroker.read(out, true, 1, Duration.ofSeconds(2),
                    Duration.ofSeconds(60));
            assertThat(good).as("the record after it, exactly once").hasSize(1);
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
            System.out.printf("small topic: %d restarts until max.message.bytes was raised, then 1 dead letter, 1 out%n",
                    job.restarts());
        }
    }

    @FunctionalInterface
    interface Check {
        void check(String key, byte[] value) throws Exception;
    }

    @FunctionalInterface
    interface SmallCheck {
        void check(byte[] value) throws Exception;
    }

    @FunctionalInterface
    interface SmallValue {
        byte[] value(int i) throws Exception;
    }

    private void run(String format, int limit, Map<String, byte[]> big, Map<String, String> expected, Check bigCheck,
            SmallValue small, SmallCheck smallCheck) throws Exception {
        String run = "limits-" + format + "-" + UUID.randomUUID().toString().substring(0, 8);
        String in = run + "-in";
        String out = run + "-out";
        String dlq = run + "-dlq";
        // the input topic takes more than the job's limit, as a topic the job does not own may
        createTopics(Map.of(in, 64 * MIB, out, limit, dlq, limit));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        big.forEach((key, value) -> records.add(record(in, key, value)));
        for (int i = 0; i < SMALL; i++) {
            records.add(record(in, "small-" + i, small.value(i)));
        }
        produceLarge(records);
        records.clear(); // the test JVM holds the outputs next; the inputs are on the broker

        try (ChildJob job = ChildJob.start(Map.of(
                "job.name", run, "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "input.topic", in, "output.topic", out, "dead-letter.topic", dlq, "format", format,
                "input.starting-offsets", "earliest", "checkpoint.interval", "300ms", "parallelism", "1",
                "softmax.max-record-bytes", Integer.toString(limit)))) {
            long outs = expected.values().stream().filter("out"::equals).count() + SMALL;
            long deads = expected.size() + SMALL - outs;
            List<ConsumerRecord<byte[], byte[]>> dead = KafkaBroker.read(dlq, true, (int) deads,
                    Duration.ofSeconds(1), Duration.ofSeconds(180));
            assertThat(dead).hasSize((int) deads);
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                String key = Records.string(r.key());
                assertThat(expected.get(key)).as(key).isEqualTo("too-long");
                assertThat(KafkaBroker.header(r, DeadLetters.REASON)).as(key).isEqualTo("too-long");
                byte[] original = big.get(key);
                assertThat(RecordLimit.size(asKafkaRecord(r))).as("dead letter of %s within the limit", key)
                        .isLessThanOrEqualTo(limit);
                String cutFrom = KafkaBroker.header(r, RecordLimit.ORIGINAL_VALUE_BYTES);
                if (cutFrom == null) {
                    assertThat(r.value()).as("original bytes of " + key).isEqualTo(original);
                } else {
                    assertThat(Integer.parseInt(cutFrom)).as(key).isEqualTo(original.length);
                    assertThat(r.value()).as("leading bytes of " + key)
                            .isEqualTo(Arrays.copyOf(original, r.value().length));
                }
                System.out.printf("limits %s: %s (%d bytes) -> too-long, %s%n", format, key, original.length,
                        KafkaBroker.header(r, DeadLetters.EXCEPTION_MESSAGE));
            }
            List<ConsumerRecord<byte[], byte[]>> processed = KafkaBroker.read(out, true, (int) outs,
                    Duration.ofSeconds(1), Duration.ofSeconds(180));
            assertThat(processed).hasSize((int) outs);
            for (ConsumerRecord<byte[], byte[]> r : processed) {
                String key = Records.string(r.key());
                Records.assertKeptIdentity(r);
                if (key.startsWith("small-")) {
                    smallCheck.check(r.value());
                } else {
                    assertThat(expected.get(key)).as(key).isEqualTo("out");
                    bigCheck.check(key, r.value());
                    System.out.printf("limits %s: %s (%d bytes) -> out (%d bytes)%n", format, key,
                            big.get(key).length, r.value().length);
                }
            }
            job.assertAliveWithoutOutOfMemory();
        }
    }

    private static KafkaRecord asKafkaRecord(ConsumerRecord<byte[], byte[]> r) {
        KafkaRecord k = new KafkaRecord();
        k.key = r.key();
        k.value = r.value();
        r.headers().forEach(h -> k.addHeader(h.key(), h.value()));
        return k;
    }

    /** Logits that vary, so the distribution has something to check: 2 + sin(i) * 3. */
    private static float[] logits(int n) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) (2 + Math.sin(i) * 3);
        }
        return z;
    }

    /** The JSON input's values: four-byte tokens {@code 0.5,} to {@code 3.5,}, so 2^21 of them are 8 MiB. */
    private static float[] jsonValues(int n) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (i % 4) + 0.5f;
        }
        return z;
    }

    private static byte[] jsonLogits(int n) {
        StringBuilder sb = new StringBuilder(4 * n + 2).append('[');
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append((i % 4) + 0.5f);
        }
        return utf8(sb.append(']').toString());
    }

    /** Sums to 1 and matches the double reference at a spread of indices. */
    private static void assertDistribution(float[] p, float[] z) {
        assertThat(p).hasSameSizeAs(z);
        double[] reference = ReferenceSoftmax.softmax(z, 1.0);
        double sum = 0;
        for (float x : p) {
            sum += x;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        // accuracy is AccuracyTest's subject; here a loose bound shows the values are the right ones
        for (int i = 0; i < p.length; i += Math.max(1, p.length / 1000)) {
            assertThat((double) p[i]).as("p%d", i)
                    .isCloseTo(reference[i], org.assertj.core.data.Offset.offset(1e-4 * reference[i] + 1e-12));
        }
    }

    private static void createTopics(Map<String, Integer> maxMessageBytes) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        maxMessageBytes.forEach((name, max) -> topics.add(new NewTopic(name, 1, (short) 1)
                .configs(Map.of("max.message.bytes", Integer.toString(max)))));
        KafkaBroker.createTopics(topics);
    }

    private static void produceLarge(List<ProducerRecord<byte[], byte[]>> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(64 * MIB));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(256L * MIB));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r); // in order: the small records come after the big ones
            }
            producer.flush();
        }
    }

    /** {@link BoundedHeapJob} as its own {@code java -Xmx512m} process. */
    private static final class ChildJob implements AutoCloseable {

        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private ChildJob(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines.add(line);
                        System.out.println("[bounded-heap job] " + line);
                    }
                } catch (java.io.IOException e) {
                    lines.add("(reading the output failed: " + e + ")");
                }
            }, "bounded-heap-job-output");
            reader.setDaemon(true);
            reader.start();
        }

        static ChildJob start(Map<String, String> options) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            command.add("-XX:+ExitOnOutOfMemoryError"); // an OutOfMemoryError ends the process, visibly
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("--add-")) {
                    command.add(arg);
                }
            }
            // the tests' log levels (warnings, checkpoints, sink transactions) and a GC log, for a post-mortem
            command.add("-Dlog4j2.configurationFile=log4j2-test.xml");
            command.add("-Xlog:gc:file=" + Path.of("target", "bounded-heap-job-gc-%p.log").toAbsolutePath());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(BoundedHeapJob.class.getName());
            new HashMap<>(options).forEach((k, v) -> command.add(k + "=" + v));
            ChildJob job = new ChildJob(new ProcessBuilder(command).redirectErrorStream(true).start());
            job.awaitLine("JOB RUNNING", Duration.ofSeconds(120));
            return job;
        }

        private void awaitLine(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (lines.stream().anyMatch(l -> l.contains(text))) {
                    return;
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no line '" + text + "' from the job; output:\n" + String.join("\n", lines));
        }

        void assertAliveWithoutOutOfMemory() {
            String output = String.join("\n", lines);
            assertThat(lines).as("the job's JVM heap").anyMatch(l -> l.startsWith("HEAP MAX ")
                    && Long.parseLong(l.substring("HEAP MAX ".length())) <= 512L * MIB);
            assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("JOB ENDED");
            assertThat(process.isAlive()).as("the job's JVM is alive; output:\n" + output).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
