package io.github.flinksoftmax.job;

import static io.github.flinksoftmax.testing.Records.float32;
import static io.github.flinksoftmax.testing.Records.floats;
import static io.github.flinksoftmax.testing.Records.record;
import static io.github.flinksoftmax.testing.Records.string;
import static io.github.flinksoftmax.testing.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.MiniClusters;
import io.github.flinksoftmax.testing.Records;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.TestJobs;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multinomial logistic regression through the real job on a MiniCluster and a real broker: feature
 * vectors in, {@code softmax(W x + b)} out, every probability checked against the same computed in
 * double here; top-k labelled with the model's classes; the model version in a header on every
 * output; features of the wrong length, a NaN and features whose scores overflow in the dead-letter
 * topic with their reasons.
 */
@ExtendWith(KafkaBroker.class)
class LogisticRegressionITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(4);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final int K = 4;
    private static final int D = 21; // one block of 16 lanes and a tail of 5
    private static final List<String> CLASSES = List.of("north", "east", "south", "west");

    @TempDir
    static Path dir;
    private static float[][] w;
    private static float[] b;
    private static Path modelFile;

    @BeforeAll
    static void writeModel() throws Exception {
        SplittableRandom r = new SplittableRandom(18);
        w = new float[K][D];
        b = new float[K];
        for (int j = 0; j < K; j++) {
            for (int i = 0; i < D; i++) {
                w[j][i] = (float) r.nextGaussian();
            }
            b[j] = (float) r.nextGaussian();
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("coef_", w);
        model.put("intercept_", b);
        model.put("classes_", CLASSES);
        model.put("version", "v1");
        modelFile = dir.resolve("model.json");
        Files.write(modelFile, JSON.writeValueAsBytes(model));
    }

    @Test
    void jsonFeaturesGiveTheModelsProbabilitiesAndBadFeaturesDeadLetter(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        float[] single = features(r, D);
        float[][] batch = {features(r, D), features(r, D), features(r, D)};
        float[] nan = features(r, D);
        nan[4] = Float.NaN;
        float[] huge = features(r, D);
        java.util.Arrays.fill(huge, 3e38f);
        Map<String, byte[]> in = new LinkedHashMap<>();
        in.put("single", utf8("{\"id\": \"s\", \"features\": " + JSON.writeValueAsString(single) + "}"));
        in.put("batch", utf8("{\"features\": " + JSON.writeValueAsString(batch) + "}"));
        in.put("short", utf8("{\"features\": " + JSON.writeValueAsString(features(r, D - 1)) + "}"));
        // a bare NaN token, as Python's json.dumps writes it (Jackson would quote it)
        in.put("nan", utf8("{\"features\": " + JSON.writeValueAsString(nan).replace("\"NaN\"", "NaN") + "}"));
        in.put("overflow", utf8("{\"features\": " + JSON.writeValueAsString(huge) + "}"));
        Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster, in, Map.of("format", "json",
                "json.logits-pointer", "/features", "postprocess.top-k", "2", "postprocess.argmax", "true"), 3, dead);

        JsonNode s = JSON.readTree(out.get("single").value());
        assertThat(s.get("id").asText()).isEqualTo("s");
        double[] expected = reference(single);
        checkRow(s.get("probabilities"), expected, single);
        assertThat(s.get("argmax_label").asText()).isEqualTo(CLASSES.get(argmax(expected)));
        assertThat(s.get("top_k").get(0).get("label").asText()).isEqualTo(CLASSES.get(argmax(expected)));
        JsonNode rows = JSON.readTree(out.get("batch").value()).get("probabilities");
        assertThat(rows).hasSize(3);
        for (int i = 0; i < 3; i++) {
            checkRow(rows.get(i), reference(batch[i]), batch[i]);
        }
        for (ConsumerRecord<byte[], byte[]> o : out.values()) {
            assertThat(KafkaBroker.header(o, ModelScoring.VERSION_HEADER)).isEqualTo("v1");
        }
        assertThat(KafkaBroker.header(dead.get("short"), DeadLetters.REASON)).isEqualTo("shape-mismatch");
        assertThat(KafkaBroker.header(dead.get("short"), DeadLetters.EXCEPTION_MESSAGE))
                .contains("has 20 features; the model (version v1) takes 21");
        assertThat(KafkaBroker.header(dead.get("nan"), DeadLetters.REASON)).isEqualTo("non-finite-input");
        assertThat(KafkaBroker.header(dead.get("nan"), DeadLetters.EXCEPTION_MESSAGE))
                .contains("feature 4 of row 0 is NaN");
        assertThat(KafkaBroker.header(dead.get("overflow"), DeadLetters.REASON)).isEqualTo("non-finite-input");
        assertThat(KafkaBroker.header(dead.get("overflow"), DeadLetters.EXCEPTION_MESSAGE))
                .contains("overflows float range");
        assertThat(dead.get("nan").value()).as("the original bytes").isEqualTo(in.get("nan"));
    }

    @Test
    void float32leFeaturesWithSigmoidAndAVersionOverride(@InjectMiniCluster MiniCluster cluster) throws Exception {
        SplittableRandom r = new SplittableRandom(8);
        float[] x = features(r, D);
        Map<String, byte[]> in = new LinkedHashMap<>();
        in.put("x", float32(x));
        in.put("odd", new byte[4 * D + 2]);
        Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster, in, Map.of("format", "float32le",
                "float32le.classes", String.valueOf(D), "softmax.activation", "sigmoid", "model.version", "2026-12-07"),
                1, dead);
        float[] p = floats(out.get("x").value());
        assertThat(p).hasSize(K);
        double[] z = scores(x);
        for (int j = 0; j < K; j++) {
            double expected = 1 / (1 + Math.exp(-z[j]));
            assertThat((double) p[j]).as("class %d", j).isCloseTo(expected,
                    org.assertj.core.data.Offset.offset(expected * (1 - expected) * bound(x) + 1e-6 * expected));
        }
        assertThat(KafkaBroker.header(out.get("x"), ModelScoring.VERSION_HEADER)).isEqualTo("2026-12-07");
        assertThat(KafkaBroker.header(dead.get("odd"), DeadLetters.REASON)).isEqualTo("bad-length");
    }

    /**
     * Features from an upstream model server: an OIP v2 response whose {@code embedding} output
     * tensor is the feature vector, scored by the linear model and written as JSON
     * ({@code output.format}) that keeps the response's identity fields.
     */
    @Test
    void oipV2FeaturesFromAnEmbeddingModelWrittenAsJson(@InjectMiniCluster MiniCluster cluster) throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        float[] x = features(r, D);
        Map<String, Object> tensor = new LinkedHashMap<>();
        tensor.put("name", "embedding");
        tensor.put("shape", List.of(1, D));
        tensor.put("datatype", "FP32");
        tensor.put("data", x);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("model_name", "encoder");
        response.put("id", "req-1");
        response.put("outputs", List.of(tensor));
        Map<String, byte[]> in = new LinkedHashMap<>();
        in.put("x", JSON.writeValueAsBytes(response));
        Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster, in, Map.of("format", "oip-v2",
                "oip.input-tensor", "embedding", "output.format", "json"), 0, dead);
        JsonNode o = JSON.readTree(out.get("x").value());
        assertThat(o.get("model_name").asText()).isEqualTo("encoder");
        assertThat(o.get("id").asText()).isEqualTo("req-1");
        JsonNode rows = o.get("probabilities");
        checkRow(rows.size() == 1 && rows.get(0).isArray() ? rows.get(0) : rows, reference(x), x);
        assertThat(KafkaBroker.header(out.get("x"), ModelScoring.VERSION_HEADER)).isEqualTo("v1");
    }

    /**
     * Hot reload: the job starts with the file's model v1 and a model topic; a malformed model on the
     * topic is ignored (no restart), then v2 replaces v1 without a restart. Every output names one
     * version and matches that version's probabilities in full (no record scored by a mix), and once
     * v2 is in force no later record is scored by v1.
     */
    @Test
    void aModelFromTheTopicReplacesTheFileModelWithoutARestart(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        SplittableRandom r = new SplittableRandom(99);
        float[][] w2 = new float[K][D];
        float[] b2 = new float[K];
        for (int j = 0; j < K; j++) {
            for (int i = 0; i < D; i++) {
                w2[j][i] = (float) r.nextGaussian();
            }
            b2[j] = (float) r.nextGaussian();
        }
        Map<String, Object> v2 = new LinkedHashMap<>();
        v2.put("coef", w2);
        v2.put("intercept", b2);
        v2.put("version", "v2");
        List<String> t = KafkaBroker.createTopics("reload", 1, "in", "out", "dlq", "models");
        Map<String, float[]> sent = new HashMap<>();
        Map<String, String> overrides = new HashMap<>(Map.of("format", "json", "json.logits-pointer", "/features",
                "model.file", modelFile.toString(), "model.topic", t.get(3)));
        try (RunningJob job = RunningJob.start(cluster, TestJobs.config(t.get(0), t.get(1), t.get(2), overrides))) {
            send(t.get(0), "a", 10, r, sent);
            List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.read(t.get(1), true, 10, Duration.ZERO,
                    Duration.ofSeconds(60));
            assertThat(out).hasSize(10).allSatisfy(o ->
                    assertThat(KafkaBroker.header(o, ModelScoring.VERSION_HEADER)).isEqualTo("v1"));
            KafkaBroker.produce(List.of(record(t.get(3), "iris", utf8("{\"coef\": [[1, NaN]], \"intercept\": [0]}")),
                    record(t.get(3), "iris", JSON.writeValueAsBytes(v2))));
            // no sleep: records keep coming until one is scored by v2
            for (int round = 0; round < 60 && out.stream().noneMatch(o -> "v2".equals(version(o))); round++) {
                send(t.get(0), "b" + round, 5, r, sent);
                out = KafkaBroker.read(t.get(1), true, sent.size(), Duration.ZERO, Duration.ofSeconds(30));
            }
            assertThat(out).hasSize(sent.size());
            assertThat(job.restarts()).as("restarts: a malformed model must not fail the job").isZero();
        }
        List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.read(t.get(1), true, sent.size(), Duration.ZERO,
                Duration.ofSeconds(30));
        boolean switched = false;
        for (ConsumerRecord<byte[], byte[]> o : out) {
            String key = string(o.key());
            String version = version(o);
            switched |= version.equals("v2");
            assertThat(version).as("%s after v2 was in force", key).isEqualTo(switched ? "v2" : "v1");
            float[] x = sent.get(key);
            double[] expected = version.equals("v2") ? reference(w2, b2, x) : reference(x);
            JsonNode p = JSON.readTree(o.value()).get("probabilities");
            for (int j = 0; j < K; j++) {
                assertThat(p.get(j).doubleValue()).as("%s class %d under %s", key, j, version)
                        .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-4 * expected[j] + 1e-9));
            }
        }
        assertThat(switched).isTrue();
        assertThat(KafkaBroker.read(t.get(2), true, 0, Duration.ZERO, Duration.ofSeconds(2))).isEmpty();
    }

    /**
     * A model republished under the same version (a corrected one, say) takes effect: the operator
     * notices a new model record, not only a new version string.
     */
    @Test
    void aModelRepublishedUnderTheSameVersionTakesEffect(@InjectMiniCluster MiniCluster cluster) throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        List<String> t = KafkaBroker.createTopics("republish", 1, "in", "out", "dlq", "models");
        Map<String, float[]> sent = new HashMap<>();
        Map<String, String> overrides = Map.of("format", "json", "json.logits-pointer", "/features",
                "model.topic", t.get(3));
        float[][] w2 = new float[K][D];
        float[] b2 = new float[K];
        for (int j = 0; j < K; j++) {
            for (int i = 0; i < D; i++) {
                w2[j][i] = -w[j][i];
            }
            b2[j] = -b[j];
        }
        try (RunningJob job = RunningJob.start(cluster, TestJobs.config(t.get(0), t.get(1), t.get(2), overrides))) {
            KafkaBroker.produce(List.of(record(t.get(3), "m", JSON.writeValueAsBytes(
                    Map.of("coef", w, "intercept", b, "version", "same")))));
            assertThat(firstScoredBy(t, w, b, sent, r, "first")).as("a record scored by the first model").isTrue();
            KafkaBroker.produce(List.of(record(t.get(3), "m", JSON.writeValueAsBytes(
                    Map.of("coef", w2, "intercept", b2, "version", "same")))));
            assertThat(firstScoredBy(t, w2, b2, sent, r, "second"))
                    .as("a record scored by the model republished under the same version").isTrue();
            assertThat(job.restarts()).isZero();
        }
    }

    /**
     * Sends records one at a time until one comes out scored by {@code (weights, bias)}; false if
     * none does in 60 rounds. A record that arrives before the first model is a dead letter
     * ({@code no-model}) and adds no output: the round ends when its wait does.
     */
    private static boolean firstScoredBy(List<String> t, float[][] weights, float[] bias, Map<String, float[]> sent,
            SplittableRandom r, String prefix) throws Exception {
        int seen = KafkaBroker.read(t.get(1), true, 0, Duration.ZERO, Duration.ofSeconds(1)).size();
        for (int round = 0; round < 60; round++) {
            send(t.get(0), prefix + round, 1, r, sent);
            List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.read(t.get(1), true, seen + 1, Duration.ZERO,
                    Duration.ofSeconds(10));
            if (out.size() == seen) {
                continue;
            }
            seen = out.size();
            ConsumerRecord<byte[], byte[]> last = out.get(out.size() - 1);
            double[] expected = reference(weights, bias, sent.get(string(last.key())));
            JsonNode p = JSON.readTree(last.value()).get("probabilities");
            boolean match = true;
            for (int j = 0; j < K; j++) {
                match &= Math.abs(p.get(j).doubleValue() - expected[j]) <= 1e-4 * expected[j] + 1e-9;
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** Without a model file, records before the first model on the topic are dead-lettered as no-model. */
    @Test
    void beforeAnyModelRecordsAreDeadLetteredAsNoModel(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<String> t = KafkaBroker.createTopics("nomodel", 1, "in", "out", "dlq", "models");
        SplittableRandom r = new SplittableRandom(5);
        Map<String, float[]> sent = new HashMap<>();
        Map<String, String> overrides = Map.of("format", "json", "json.logits-pointer", "/features",
                "model.topic", t.get(3));
        try (RunningJob job = RunningJob.start(cluster, TestJobs.config(t.get(0), t.get(1), t.get(2), overrides))) {
            send(t.get(0), "early", 3, r, sent);
            List<ConsumerRecord<byte[], byte[]>> dead = KafkaBroker.read(t.get(2), true, 3, Duration.ZERO,
                    Duration.ofSeconds(60));
            assertThat(dead).hasSize(3).allSatisfy(d ->
                    assertThat(KafkaBroker.header(d, DeadLetters.REASON)).isEqualTo("no-model"));
            assertThat(job.restarts()).isZero();
        }
    }

    /**
     * The model in force is checkpointed: after a stop with savepoint and a restore, the model
     * source resumes past the model record, so records are scored by the model the broadcast
     * state brought back, not dead-lettered as no-model.
     */
    @Test
    void theModelFromTheTopicSurvivesARestoreFromASavepoint(@InjectMiniCluster MiniCluster cluster,
            @TempDir Path savepoints) throws Exception {
        List<String> t = KafkaBroker.createTopics("restore", 1, "in", "out", "dlq", "models");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("coef", w);
        model.put("intercept", b);
        model.put("version", "t1");
        KafkaBroker.produce(List.of(record(t.get(3), "m", JSON.writeValueAsBytes(model))));
        var config = TestJobs.config(t.get(0), t.get(1), t.get(2), Map.of("format", "json",
                "json.logits-pointer", "/features", "model.topic", t.get(3)));
        SplittableRandom r = new SplittableRandom(11);
        Map<String, float[]> sent = new HashMap<>();
        String savepoint;
        try (RunningJob job = RunningJob.start(cluster, config)) {
            // records sent before the model reached the operator are no-model dead letters: send until one is scored
            List<ConsumerRecord<byte[], byte[]>> out = List.of();
            for (int round = 0; round < 60 && out.isEmpty(); round++) {
                send(t.get(0), "a" + round, 2, r, sent);
                out = KafkaBroker.read(t.get(1), true, 1, Duration.ZERO, Duration.ofSeconds(2));
            }
            assertThat(out).isNotEmpty();
            savepoint = job.stopWithSavepoint(savepoints);
        }
        int before = KafkaBroker.read(t.get(1), true, 1, Duration.ofSeconds(1), Duration.ofSeconds(10)).size();
        Map<String, float[]> after = new HashMap<>();
        try (RunningJob job = RunningJob.restore(cluster, config, savepoint)) {
            send(t.get(0), "c", 5, r, after);
            List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.read(t.get(1), true, before + 5, Duration.ZERO,
                    Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> restored = out.stream()
                    .filter(o -> string(o.key()).startsWith("c-")).toList();
            assertThat(restored).hasSize(5).allSatisfy(o -> {
                assertThat(version(o)).isEqualTo("t1");
                double[] expected = reference(after.get(string(o.key())));
                JsonNode p = JSON.readTree(o.value()).get("probabilities");
                assertThat(p.get(0).doubleValue()).isCloseTo(expected[0],
                        org.assertj.core.data.Offset.offset(1e-4 * expected[0] + 1e-9));
            });
            assertThat(KafkaBroker.read(t.get(2), true, 0, Duration.ZERO, Duration.ofSeconds(2)))
                    .noneMatch(d -> string(d.key()).startsWith("c-"));
            assertThat(job.restarts()).isZero();
        }
    }

    private static String version(ConsumerRecord<byte[], byte[]> o) {
        return KafkaBroker.header(o, ModelScoring.VERSION_HEADER);
    }

    private static void send(String topic, String prefix, int n, SplittableRandom r, Map<String, float[]> sent)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = features(r, D);
            String key = prefix + "-" + i;
            sent.put(key, x);
            records.add(record(topic, key, utf8("{\"features\": " + JSON.writeValueAsString(x) + "}")));
        }
        KafkaBroker.produce(records);
    }

    private Map<String, ConsumerRecord<byte[], byte[]>> run(MiniCluster cluster, Map<String, byte[]> values,
            Map<String, String> options, int expectedDead, Map<String, ConsumerRecord<byte[], byte[]>> dead)
            throws Exception {
        List<String> t = KafkaBroker.createTopics("logreg", 1, "in", "out", "dlq");
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        values.forEach((key, value) -> in.add(record(t.get(0), key, value)));
        KafkaBroker.produce(in);
        Map<String, String> overrides = new HashMap<>(options);
        overrides.put("model.file", modelFile.toString());
        try (RunningJob job = RunningJob.start(cluster, TestJobs.config(t.get(0), t.get(1), t.get(2), overrides))) {
            List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.read(t.get(1), true, values.size() - expectedDead,
                    Duration.ofMillis(500), Duration.ofSeconds(60));
            KafkaBroker.read(t.get(2), true, expectedDead, Duration.ofMillis(200), Duration.ofSeconds(30))
                    .forEach(d -> dead.put(string(d.key()), d));
            assertThat(dead).hasSize(expectedDead);
            assertThat(out).hasSize(values.size() - expectedDead);
            assertThat(job.restarts()).isZero();
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> o : out) {
                Records.assertKeptIdentity(o);
                byKey.put(string(o.key()), o);
            }
            return byKey;
        }
    }

    /**
     * Each probability within what the float scores allow: a score error of at most {@code delta}
     * (the kernel's bound, {@link #bound}) moves {@code p_j} by at most {@code 2 p_j delta}, and the
     * softmax adds its own 8 ulp (1e-6 relative).
     */
    private static void checkRow(JsonNode row, double[] expected, float[] x) {
        assertThat(row).hasSize(K);
        double delta = bound(x);
        for (int j = 0; j < K; j++) {
            assertThat(row.get(j).doubleValue()).as("class %d", j).isCloseTo(expected[j],
                    org.assertj.core.data.Offset.offset(expected[j] * (2 * delta + 1e-6) + 1e-9));
        }
    }

    /** The kernel's bound on a score's error for these features: gamma_n times the sum of magnitudes. */
    private static double bound(float[] x) {
        int n = D / 16 + 4 + D % 16 + 1;
        double gamma = n * 0x1p-24 / (1 - n * 0x1p-24);
        double worst = 0;
        for (int j = 0; j < K; j++) {
            double m = Math.abs(b[j]);
            for (int i = 0; i < D; i++) {
                m += Math.abs((double) w[j][i] * x[i]);
            }
            worst = Math.max(worst, gamma * m);
        }
        return worst;
    }

    private static double[] scores(float[] x) {
        return scores(w, b, x);
    }

    private static double[] scores(float[][] w, float[] b, float[] x) {
        double[] z = new double[K];
        for (int j = 0; j < K; j++) {
            z[j] = b[j];
            for (int i = 0; i < D; i++) {
                z[j] += (double) w[j][i] * x[i];
            }
        }
        return z;
    }

    /** softmax(W x + b) in double. */
    private static double[] reference(float[] x) {
        return reference(w, b, x);
    }

    private static double[] reference(float[][] w, float[] b, float[] x) {
        double[] z = scores(w, b, x);
        double max = java.util.Arrays.stream(z).max().orElseThrow();
        double sum = 0;
        double[] p = new double[K];
        for (int j = 0; j < K; j++) {
            p[j] = Math.exp(z[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < K; j++) {
            p[j] /= sum;
        }
        return p;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            best = p[j] > p[best] ? j : best;
        }
        return best;
    }

    private static float[] features(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * r.nextGaussian());
        }
        return x;
    }
}
