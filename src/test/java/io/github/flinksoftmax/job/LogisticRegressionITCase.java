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
        double[] z = scores(x);
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
