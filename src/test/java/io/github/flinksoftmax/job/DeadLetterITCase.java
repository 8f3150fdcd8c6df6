package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import static io.github.flinksoftmax.testing.Records.assertKeptIdentity;
import static io.github.flinksoftmax.testing.Records.float32;
import static io.github.flinksoftmax.testing.Records.floats;
import static io.github.flinksoftmax.testing.Records.record;
import static io.github.flinksoftmax.testing.Records.utf8;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.Float32LeFormat;
import io.github.flinksoftmax.format.JsonFormat;
import io.github.flinksoftmax.format.OipV2Format;
import io.github.flinksoftmax.kernel.Softmax;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Valid records mixed with every kind of bad one, through the real job in each format: every
 * valid record comes out correct, every bad one lands in the dead-letter topic with its reason,
 * original bytes, key and headers and Kafka Connect's error context, and no task ever restarts.
 */
@ExtendWith(KafkaBroker.class)
class DeadLetterITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(4, METRICS.addToConfiguration(new Configuration()));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VALID_PER_GAP = 5;

    @Test
    void jsonBadRecordsAreDeadLetteredAndTheJobGoesOn(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("malformed-json", utf8("[1.0, 2.0"));
        bad.put("wrong-type", utf8("[1.0, \"two\", 3.0]"));
        bad.put("missing-field", utf8("{\"id\": 7, \"scores\": [1, 2]}"));
        bad.put("non-finite-input", utf8("[1.0, NaN, 3.0]"));
        bad.put("non-finite-input+inf", utf8("[1.0, Infinity, 3.0]"));
        bad.put("empty-vector", utf8("[]"));
        bad.put("all-masked", utf8("[-Infinity, -Infinity]"));
        bad.put("shape-mismatch", utf8("[[1, 2, 3], [4, 5]]"));
        bad.put("too-long", utf8("[" + "0.5, ".repeat(64) + "0.5]"));
        runMix(cluster, "json", Map.of("format", "json", "softmax.max-length", "64",
                "dead-letter.include-stacktrace", "true"), JsonFormat.class, bad, i -> {
            float[] z = logits(i);
            return JSON.writeValueAsBytes(z);
        }, (r, i) -> assertProbabilities(JSON.readTree(r.value()).get("probabilities"), logits(i)));
    }

    @Test
    void oipBadRecordsAreDeadLettered(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("unknown-output", utf8(oip("scores", "FP32", "[4]", "[1, 2, 3, 4]")));
        bad.put("unsupported-datatype", utf8(oip("logits", "INT8", "[4]", "[1, 2, 3, 4]")));
        bad.put("shape-mismatch", utf8(oip("logits", "FP32", "[2, 3]", "[1, 2, 3, 4, 5]")));
        bad.put("missing-field", utf8("{\"model_name\": \"m\", \"outputs\": [{\"name\": \"logits\", \"datatype\": \"FP32\", \"data\": [1]}]}"));
        bad.put("malformed-json", utf8("{\"model_name\": "));
        runMix(cluster, "oip", Map.of("format", "oip-v2", "oip.input-tensor", "logits"), OipV2Format.class, bad, i -> {
            float[] z = logits(i);
            return utf8(oip("logits", "FP32", "[" + z.length + "]", JSON.writeValueAsString(z)));
        }, (r, i) -> {
            JsonNode out = JSON.readTree(r.value()).get("outputs").get(0);
            assertThat(out.get("datatype").asText()).isEqualTo("FP32");
            assertProbabilities(out.get("data"), logits(i));
        });
    }

    @Test
    void float32BadRecordsAreDeadLettered(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("bad-length", new byte[7]);
        bad.put("non-finite-input", float32(new float[] {1f, Float.NaN}));
        bad.put("all-masked", float32(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}));
        bad.put("too-long", new byte[4 * 65]);
        runMix(cluster, "f32", Map.of("format", "float32le", "softmax.max-length", "64"), Float32LeFormat.class, bad,
                i -> float32(logits(i)), (r, i) -> {
                    assertProbabilities(JSON.valueToTree(floats(r.value())), logits(i));
                });
    }

    @FunctionalInterface
    interface Encoder {
        byte[] encode(int i) throws Exception;
    }

    @FunctionalInterface
    interface Check {
        void check(ConsumerRecord<byte[], byte[]> r, int i) throws Exception;
    }

    /**
     * Valid records with every bad one in between, each bad one keyed {@code bad-<expected reason>};
     * {@code converter} is the format class the dead letters must name for a record it could not read.
     */
    private void runMix(MiniCluster cluster, String name, Map<String, String> overrides, Class<?> converter,
            Map<String, byte[]> bad, Encoder valid, Check check) throws Exception {
        List<String> t = KafkaBroker.createTopics("dlq-" + name, 1, "in", "out", "dlq");
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        int validCount = 0;
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            for (int j = 0; j < VALID_PER_GAP; j++) {
                in.add(record(t.get(0), "valid-" + validCount, valid.encode(validCount)));
                validCount++;
            }
            in.add(record(t.get(0), "bad-" + e.getKey(), e.getValue()));
        }
        KafkaBroker.produce(in);
        JobConfig config = TestJobs.config(t.get(0), t.get(1), t.get(2), overrides);
        boolean traces = "true".equals(overrides.get("dead-letter.include-stacktrace"));
        try (RunningJob job = RunningJob.start(cluster, config)) {
            List<ConsumerRecord<byte[], byte[]>> out =
                    KafkaBroker.read(t.get(1), true, validCount, Duration.ofSeconds(1), Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> dlq =
                    KafkaBroker.read(t.get(2), true, bad.size(), Duration.ofSeconds(1), Duration.ofSeconds(60));

            assertThat(out).hasSize(validCount);
            for (ConsumerRecord<byte[], byte[]> r : out) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(key).startsWith("valid-");
                assertKeptIdentity(r);
                check.check(r, Integer.parseInt(key.substring("valid-".length())));
            }
            assertThat(dlq).hasSize(bad.size());
            for (ConsumerRecord<byte[], byte[]> r : dlq) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                String expectedReason = key.substring("bad-".length()).replace("+inf", "");
                assertThat(KafkaBroker.header(r, DeadLetters.REASON)).as(key).isEqualTo(expectedReason);
                assertThat(r.value()).as("original bytes of " + key).isEqualTo(bad.get(key.substring("bad-".length())));
                assertKeptIdentity(r);
                assertThat(KafkaBroker.header(r, DeadLetters.TOPIC)).isEqualTo(t.get(0));
                assertThat(KafkaBroker.header(r, DeadLetters.OFFSET)).matches("\\d+");
                assertThat(KafkaBroker.header(r, DeadLetters.EXCEPTION_MESSAGE)).isNotBlank();
                assertConnectContext(r, expectedReason, config.get(SoftmaxOptions.JOB_NAME), converter, traces);
            }
            assertThat(job.restarts()).as("restarts").isZero();
            assertMetrics(job.client().getJobID(), validCount, bad.keySet());
        }
    }

    /**
     * The rest of Kafka Connect's error context: the job as the connector, the subtask (the only
     * one: parallelism 1) as the task, the stage and class that refused the record, and the stack
     * trace only when asked for. The softmax's own row checks are the transformation; everything
     * these inputs trip before it is the converter's (the format's) refusal.
     */
    private static void assertConnectContext(ConsumerRecord<byte[], byte[]> r, String reason, String jobName,
            Class<?> converter, boolean traces) {
        String key = new String(r.key(), StandardCharsets.UTF_8);
        boolean softmaxRefused = reason.equals("non-finite-input") || reason.equals("all-masked");
        assertThat(KafkaBroker.header(r, DeadLetters.CONNECTOR_NAME)).as(key).isEqualTo(jobName);
        assertThat(KafkaBroker.header(r, DeadLetters.TASK_ID)).as(key).isEqualTo("0");
        assertThat(KafkaBroker.header(r, DeadLetters.STAGE)).as(key)
                .isEqualTo(softmaxRefused ? "TRANSFORMATION" : "VALUE_CONVERTER");
        assertThat(KafkaBroker.header(r, DeadLetters.EXECUTING_CLASS)).as(key)
                .isEqualTo(softmaxRefused ? Softmax.class.getName() : converter.getName());
        assertThat(KafkaBroker.header(r, DeadLetters.EXCEPTION_CLASS)).as(key).isEqualTo(BadRecordException.class.getName());
        String trace = KafkaBroker.header(r, DeadLetters.EXCEPTION_STACKTRACE);
        if (traces) {
            assertThat(trace).as(key).startsWith(BadRecordException.class.getName() + ": "
                    + KafkaBroker.header(r, DeadLetters.EXCEPTION_MESSAGE));
        } else {
            assertThat(trace).as(key).isNull();
        }
    }

    /** The operator's metrics count what the topics hold, per reason, and give the kernel's vector width. */
    private static void assertMetrics(JobID job, int valid, java.util.Set<String> badKeys) {
        Map<String, Metric> metrics = METRICS.getMetricsByIdentifiers(job);
        assertThat(counter(metrics, ".softmax.recordsIn")).isEqualTo(valid + badKeys.size());
        assertThat(counter(metrics, ".softmax.recordsOut")).isEqualTo(valid);
        assertThat(counter(metrics, ".softmax.deadLetters")).isEqualTo(badKeys.size());
        Map<String, Long> expectedByReason = new java.util.HashMap<>();
        for (String key : badKeys) {
            expectedByReason.merge(key.replace("+inf", ""), 1L, Long::sum);
        }
        expectedByReason.forEach((reason, n) ->
                assertThat(counter(metrics, ".softmax.reason." + reason + ".deadLetters")).as(reason).isEqualTo(n));
        Object bits = metrics.entrySet().stream().filter(e -> e.getKey().endsWith(".softmax.vectorBits"))
                .map(e -> ((Gauge<?>) e.getValue()).getValue()).findFirst().orElseThrow();
        assertThat(bits).as("vectorBits, numeric so Prometheus keeps it").isIn(0, 128, 256, 512);
    }

    private static long counter(Map<String, Metric> metrics, String suffix) {
        return metrics.entrySet().stream().filter(e -> e.getKey().endsWith(suffix))
                .mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
    }

    private static float[] logits(int i) {
        float[] z = new float[6];
        for (int j = 0; j < z.length; j++) {
            z[j] = (float) Math.cos(i * 0.9 + j) * 3;
        }
        return z;
    }

    private static String oip(String name, String datatype, String shape, String data) {
        return "{\"model_name\": \"m\", \"model_version\": \"1\", \"id\": \"r\", \"outputs\": [{\"name\": \"" + name
                + "\", \"datatype\": \"" + datatype + "\", \"shape\": " + shape + ", \"data\": " + data + "}]}";
    }

    private static void assertProbabilities(JsonNode actual, float[] z) {
        double[] expected = ReferenceSoftmax.softmax(z, 1.0);
        assertThat(actual).hasSize(z.length);
        for (int j = 0; j < z.length; j++) {
            Records.assertClose("p" + j, actual.get(j).floatValue(), expected[j]);
        }
    }
}
