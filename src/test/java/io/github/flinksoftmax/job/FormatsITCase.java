package io.github.flinksoftmax.job;

import static io.github.flinksoftmax.testing.Records.assertClose;
import static io.github.flinksoftmax.testing.Records.assertKeptIdentity;
import static io.github.flinksoftmax.testing.Records.assertSummaryClose;
import static io.github.flinksoftmax.testing.Records.float32;
import static io.github.flinksoftmax.testing.Records.floats;
import static io.github.flinksoftmax.testing.Records.record;
import static io.github.flinksoftmax.testing.Records.string;
import static io.github.flinksoftmax.testing.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.Records;
import io.github.flinksoftmax.testing.ReferenceSoftmax;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.TestJobs;
import io.github.flinksoftmax.testing.MiniClusters;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each wire format through the real job on a MiniCluster and a real broker, every value compared
 * with a double-precision softmax computed here: single vectors, batches, -Infinity masks,
 * log-probabilities, base below 1, temperature, top-k with labels, argmax, entropy and margin;
 * sigmoid with thresholds (against the double logistic function, within the kernel's 4 ulp), a
 * NaN and a row too short for the per-class thresholds dead-lettered under it; none passing the
 * scores through, ranked. And a job writing another format than it reads ({@code output.format}):
 * OIP v2 in, JSON out with the response's identity carried and a bad response dead-lettered as it
 * came; JSON in, float32le out with the shape announced in a header.
 */
@ExtendWith(KafkaBroker.class)
class FormatsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(4);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final List<String> LABELS = List.of("cat", "dog", "fox", "owl", "eel", "yak");

    private static final float[] SINGLE = {1.5f, -0.25f, 3f, 0f, 2.75f, -4f};
    private static final float[][] BATCH = {{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, {9f, -9f, 0f, 1f, 2f, 3f},
            {-1e4f, 1e4f, 0f, 5e3f, -5e3f, 1f}};
    private static final float[] MASKED = {1f, Float.NEGATIVE_INFINITY, 3f, Float.NEGATIVE_INFINITY, 0f, 2f};
    private static final float[] BIG = {3e38f, -3e38f, 1e-40f, 0f, 1e4f, -1e4f};

    @Test
    void jsonProbabilitiesWithTopKLabelsArgmaxEntropyMargin(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Map<String, byte[]> in = new HashMap<>();
        in.put("single", JSON.writeValueAsBytes(SINGLE));
        in.put("batch", JSON.writeValueAsBytes(BATCH));
        in.put("masked", utf8("[1, -Infinity, 3, -Infinity, 0, 2]"));
        in.put("extreme", JSON.writeValueAsBytes(BIG));
        in.put("object", utf8("{\"id\": \"abc\", \"model\": {\"name\": \"m1\"}, \"logits\": " + JSON.writeValueAsString(SINGLE) + "}"));
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster, in, Map.of("format", "json",
                "postprocess.top-k", "3", "postprocess.labels", String.join(",", LABELS),
                "postprocess.argmax", "true", "postprocess.entropy", "true", "postprocess.margin", "true"));

        checkJsonRow(JSON.readTree(out.get("single").value()), SINGLE, 1.0);
        checkJsonRow(JSON.readTree(out.get("masked").value()), MASKED, 1.0);
        checkJsonRow(JSON.readTree(out.get("extreme").value()), BIG, 1.0);
        JsonNode object = JSON.readTree(out.get("object").value());
        assertThat(object.get("id").asText()).isEqualTo("abc");
        assertThat(object.get("model").get("name").asText()).isEqualTo("m1");
        assertThat(object.has("logits")).as("the logits field is replaced by the distribution").isFalse();
        checkJsonRow(object, SINGLE, 1.0);

        JsonNode batch = JSON.readTree(out.get("batch").value());
        assertThat(batch.get("probabilities")).hasSize(BATCH.length);
        for (int r = 0; r < BATCH.length; r++) {
            double[] expected = ReferenceSoftmax.softmax(BATCH[r], 1.0);
            assertValues(batch.get("probabilities").get(r), expected);
            assertTopK(batch.get("top_k").get(r), expected, 3);
            assertThat(batch.get("argmax").get(r).asInt()).isEqualTo(argmax(expected));
            assertSummaryClose("entropy", batch.get("entropy").get(r).doubleValue(), entropy(expected));
            assertSummaryClose("margin", batch.get("margin").get(r).doubleValue(), margin(expected));
        }
        assertThat(out.get("masked").value()).isNotNull();
        JsonNode masked = JSON.readTree(out.get("masked").value()).get("probabilities");
        assertThat(masked.get(1).doubleValue()).as("masked entries are exactly 0").isEqualTo(0.0);
        assertThat(masked.get(3).doubleValue()).isEqualTo(0.0);
    }

    @Test
    void jsonLogProbabilitiesWithBaseBelowOne(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Map<String, byte[]> in = new HashMap<>();
        in.put("single", JSON.writeValueAsBytes(SINGLE));
        in.put("masked", utf8("[1, -Infinity, 3, -Infinity, 0, 2]"));
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster, in, Map.of("format", "json",
                "softmax.base", "0.5", "softmax.activation", "log-softmax", "postprocess.argmax", "true"));
        double beta = Math.log(0.5);
        for (Map.Entry<String, float[]> e : Map.of("single", SINGLE, "masked", MASKED).entrySet()) {
            JsonNode node = JSON.readTree(out.get(e.getKey()).value());
            assertThat(node.has("probabilities")).isFalse();
            JsonNode logp = node.get("log_probabilities");
            double[] expected = ReferenceSoftmax.logSoftmax(e.getValue(), beta);
            assertValues(logp, expected);
            // base below 1 favours the smallest unmasked logit
            assertThat(node.get("argmax").asInt()).isEqualTo(argmin(e.getValue()));
        }
        JsonNode masked = JSON.readTree(out.get("masked").value()).get("log_probabilities");
        assertThat(masked.get(1).doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void jsonSigmoidWithThresholdsLabelsAndANaNDeadLettered(@InjectMiniCluster MiniCluster cluster) throws Exception {
        float[] allMasked = new float[6];
        java.util.Arrays.fill(allMasked, Float.NEGATIVE_INFINITY);
        double[] thresholds = {0.5, 0.5, 0.9, 0.5, 0.5, 0.99};
        Map<String, byte[]> in = new HashMap<>();
        in.put("single", JSON.writeValueAsBytes(SINGLE));
        in.put("batch", JSON.writeValueAsBytes(BATCH));
        in.put("all-masked", utf8("[-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity]"));
        in.put("nan", utf8("[1, NaN, 3, 0, 2, 1]"));
        in.put("five-classes", utf8("[1, 2, 3, 4, 5]")); // six thresholds, one per class
        Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster, in, Map.of("format", "json",
                "softmax.activation", "sigmoid", "sigmoid.thresholds", "0.5, 0.5, 0.9, 0.5, 0.5, 0.99",
                "postprocess.labels", String.join(",", LABELS), "postprocess.top-k", "2", "postprocess.argmax", "true",
                "postprocess.margin", "true"), r -> {}, 2, dead);

        assertThat(dead.keySet()).containsExactlyInAnyOrder("nan", "five-classes");
        assertThat(KafkaBroker.header(dead.get("nan"), DeadLetters.REASON)).isEqualTo("non-finite-input");
        assertThat(KafkaBroker.header(dead.get("nan"), DeadLetters.EXCEPTION_MESSAGE)).contains("NaN", "logits");
        assertThat(KafkaBroker.header(dead.get("five-classes"), DeadLetters.REASON)).isEqualTo("shape-mismatch");
        assertThat(KafkaBroker.header(dead.get("five-classes"), DeadLetters.EXCEPTION_MESSAGE))
                .contains("5 classes", "sigmoid.thresholds");
        assertThat(out.keySet()).containsExactlyInAnyOrder("single", "batch", "all-masked");

        checkSigmoidRow(JSON.readTree(out.get("single").value()), SINGLE, thresholds);
        checkSigmoidRow(JSON.readTree(out.get("all-masked").value()), allMasked, thresholds);
        JsonNode batch = JSON.readTree(out.get("batch").value());
        assertThat(batch.get("probabilities")).hasSize(BATCH.length);
        for (int r = 0; r < BATCH.length; r++) {
            JsonNode row = JSON.createObjectNode();
            for (String field : List.of("probabilities", "top_k", "argmax", "argmax_label", "margin", "above_threshold",
                    "above_threshold_labels")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) row).set(field, batch.get(field).get(r));
            }
            checkSigmoidRow(row, BATCH[r], thresholds);
        }
    }

    @Test
    void jsonNoneRanksTheScoresPassedThrough(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster,
                Map.of("masked", utf8("[1, -Infinity, 3, -Infinity, 0, 2]")), Map.of("format", "json",
                        "softmax.activation", "none", "softmax.temperature", "2", "postprocess.top-k", "2",
                        "postprocess.argmax", "true"));
        JsonNode node = JSON.readTree(out.get("masked").value());
        assertThat(node.has("probabilities")).isFalse();
        // bit for bit, the temperature ignored
        assertThat(JSON.convertValue(node.get("scores"), float[].class)).containsExactly(MASKED);
        assertThat(node.get("argmax").asInt()).isEqualTo(2);
        assertThat(node.get("top_k").get(1).get("index").asInt()).isEqualTo(5);
        assertThat(node.get("top_k").get(1).get("score").floatValue()).isEqualTo(2f);
    }

    @Test
    void oipV2BatchWithTemperatureAndTritonStyleTopK(@InjectMiniCluster MiniCluster cluster) throws Exception {
        float[][] batch = {BATCH[0], BATCH[1]};
        String request = "{\"model_name\": \"resnet\", \"model_version\": \"3\", \"id\": \"req-1\", \"outputs\": ["
                + "{\"name\": \"embeddings\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [0.5, 0.5]},"
                + "{\"name\": \"logits\", \"shape\": [2, 6], \"datatype\": \"FP32\", \"data\": " + JSON.writeValueAsString(batch) + "}]}";
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster, Map.of("batch", utf8(request)), Map.of(
                "format", "oip-v2", "oip.input-tensor", "logits", "softmax.temperature", "2",
                "postprocess.top-k", "2", "postprocess.labels", String.join(",", LABELS)));
        JsonNode response = JSON.readTree(out.get("batch").value());
        assertThat(response.get("model_name").asText()).isEqualTo("resnet");
        assertThat(response.get("model_version").asText()).isEqualTo("3");
        assertThat(response.get("id").asText()).isEqualTo("req-1");
        JsonNode probabilities = tensor(response, "probabilities");
        assertThat(probabilities.get("datatype").asText()).isEqualTo("FP32");
        assertThat(JSON.convertValue(probabilities.get("shape"), int[].class)).containsExactly(2, 6);
        JsonNode topK = tensor(response, "top_k");
        assertThat(topK.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(JSON.convertValue(topK.get("shape"), int[].class)).containsExactly(2, 2);
        for (int r = 0; r < batch.length; r++) {
            double[] expected = ReferenceSoftmax.softmax(batch[r], 0.5);
            for (int j = 0; j < 6; j++) {
                assertClose("p[" + r + "][" + j + "]", probabilities.get("data").get(r * 6 + j).floatValue(), expected[j]);
            }
            int[] order = order(expected);
            for (int k = 0; k < 2; k++) {
                String[] parts = topK.get("data").get(r * 2 + k).asText().split(":");
                assertClose("top-k value", Float.parseFloat(parts[0]), expected[order[k]]);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(order[k]);
                assertThat(parts[2]).isEqualTo(LABELS.get(order[k]));
            }
        }
    }

    @Test
    void float32BatchFromShapeHeaderWithExtrasInHeaders(@InjectMiniCluster MiniCluster cluster) throws Exception {
        float[] flat = new float[18];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(BATCH[r], 0, flat, r * 6, 6);
        }
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster,
                Map.of("batch", float32(flat), "masked", float32(MASKED)),
                Map.of("format", "float32le", "postprocess.top-k", "2", "postprocess.entropy", "true"),
                r -> {
                    if (string(r.key()).equals("batch")) {
                        r.headers().add(new RecordHeader("shape", utf8("3,6")));
                    }
                });
        float[] batch = floats(out.get("batch").value());
        assertThat(batch).hasSize(18);
        String[] entropies = KafkaBroker.header(out.get("batch"), "softmax.entropy").split(";");
        assertThat(entropies).hasSize(3);
        for (int r = 0; r < 3; r++) {
            double[] expected = ReferenceSoftmax.softmax(BATCH[r], 1.0);
            for (int j = 0; j < 6; j++) {
                assertClose("p[" + r + "][" + j + "]", batch[r * 6 + j], expected[j]);
            }
            assertSummaryClose("entropy", Double.parseDouble(entropies[r]), entropy(expected));
        }
        float[] masked = floats(out.get("masked").value());
        double[] expected = ReferenceSoftmax.softmax(MASKED, 1.0);
        for (int j = 0; j < 6; j++) {
            assertClose("masked p" + j, masked[j], expected[j]);
        }
        String topK = KafkaBroker.header(out.get("masked"), "softmax.top-k");
        int[] order = order(expected);
        assertThat(topK.split(",")).hasSize(2);
        assertThat(topK.split(",")[0].split(":")[1]).isEqualTo(Integer.toString(order[0]));
    }

    @Test
    void oipV2InJsonOutCarriesTheResponsesIdentityAndDeadLettersTheOriginal(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        float[][] batch = {BATCH[0], BATCH[1]};
        String response = "{\"model_name\": \"resnet\", \"model_version\": \"3\", \"id\": \"req-1\","
                + " \"parameters\": {\"sequence_id\": 7}, \"outputs\": [{\"name\": \"logits\", \"shape\": [2, 6],"
                + " \"datatype\": \"FP32\", \"data\": " + JSON.writeValueAsString(batch) + "}]}";
        byte[] noOutputs = utf8("{\"model_name\": \"resnet\", \"id\": \"req-2\"}");
        Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster,
                Map.of("batch", utf8(response), "no-outputs", noOutputs), Map.of("format", "oip-v2",
                        "output.format", "json", "oip.input-tensor", "logits", "postprocess.top-k", "3",
                        "postprocess.labels", String.join(",", LABELS), "postprocess.argmax", "true",
                        "postprocess.entropy", "true", "postprocess.margin", "true"), r -> {}, 1, dead);

        JsonNode node = JSON.readTree(out.get("batch").value());
        assertThat(node.get("model_name").asText()).isEqualTo("resnet");
        assertThat(node.get("model_version").asText()).isEqualTo("3");
        assertThat(node.get("id").asText()).isEqualTo("req-1");
        assertThat(node.get("parameters").get("sequence_id").asInt()).isEqualTo(7);
        assertThat(node.has("outputs")).isFalse();
        assertThat(node.get("probabilities")).as("[2, 6] stays two rows").hasSize(2);
        for (int r = 0; r < batch.length; r++) {
            JsonNode row = JSON.createObjectNode();
            for (String field : List.of("probabilities", "top_k", "argmax", "argmax_label", "entropy", "margin")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) row).set(field, node.get(field).get(r));
            }
            checkJsonRow(row, batch[r], 1.0);
        }
        ConsumerRecord<byte[], byte[]> letter = dead.get("no-outputs");
        assertThat(letter.value()).as("the original bytes").isEqualTo(noOutputs);
        assertThat(KafkaBroker.header(letter, DeadLetters.REASON)).isEqualTo("missing-field");
        assertThat(KafkaBroker.header(letter, DeadLetters.EXECUTING_CLASS))
                .isEqualTo(io.github.flinksoftmax.format.OipV2Format.class.getName());
    }

    @Test
    void jsonInFloat32leOutAnnouncesTheShapeWithExtrasInHeaders(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Map<String, byte[]> in = new HashMap<>();
        in.put("batch", utf8("{\"id\": \"b-1\", \"logits\": " + JSON.writeValueAsString(BATCH) + "}"));
        in.put("masked", utf8("[1, -Infinity, 3, -Infinity, 0, 2]"));
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster, in, Map.of("format", "json",
                "output.format", "float32le", "postprocess.top-k", "2", "postprocess.entropy", "true"));

        ConsumerRecord<byte[], byte[]> batch = out.get("batch");
        assertThat(KafkaBroker.header(batch, "shape")).isEqualTo("3,6");
        float[] values = floats(batch.value());
        assertThat(values).hasSize(18);
        String[] entropies = KafkaBroker.header(batch, "softmax.entropy").split(";");
        assertThat(entropies).hasSize(3);
        for (int r = 0; r < 3; r++) {
            double[] expected = ReferenceSoftmax.softmax(BATCH[r], 1.0);
            for (int j = 0; j < 6; j++) {
                assertClose("p[" + r + "][" + j + "]", values[r * 6 + j], expected[j]);
            }
            assertSummaryClose("entropy", Double.parseDouble(entropies[r]), entropy(expected));
        }
        ConsumerRecord<byte[], byte[]> masked = out.get("masked");
        assertThat(KafkaBroker.header(masked, "shape")).isEqualTo("6");
        double[] expected = ReferenceSoftmax.softmax(MASKED, 1.0);
        float[] p = floats(masked.value());
        for (int j = 0; j < 6; j++) {
            assertClose("masked p" + j, p[j], expected[j]);
        }
        assertThat(KafkaBroker.header(masked, "softmax.top-k").split(",")[0].split(":")[1])
                .isEqualTo(Integer.toString(argmax(expected)));
    }

    // ---- running ----

    private Map<String, ConsumerRecord<byte[], byte[]>> run(MiniCluster cluster, Map<String, byte[]> values,
            Map<String, String> overrides) throws Exception {
        return run(cluster, values, overrides, r -> {});
    }

    private Map<String, ConsumerRecord<byte[], byte[]>> run(MiniCluster cluster, Map<String, byte[]> values,
            Map<String, String> overrides, java.util.function.Consumer<ProducerRecord<byte[], byte[]>> decorate)
            throws Exception {
        Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
        Map<String, ConsumerRecord<byte[], byte[]>> out = run(cluster, values, overrides, decorate, 0, dead);
        assertThat(dead).as("dead letters: %s", dead.values().stream()
                .map(r -> KafkaBroker.header(r, DeadLetters.EXCEPTION_MESSAGE)).toList()).isEmpty();
        return out;
    }

    /** Runs the job over {@code values}; outputs by key, and the {@code expectedDead} dead letters by key into {@code dead}. */
    private Map<String, ConsumerRecord<byte[], byte[]>> run(MiniCluster cluster, Map<String, byte[]> values,
            Map<String, String> overrides, java.util.function.Consumer<ProducerRecord<byte[], byte[]>> decorate,
            int expectedDead, Map<String, ConsumerRecord<byte[], byte[]>> dead) throws Exception {
        List<String> t = KafkaBroker.createTopics("formats", 1, "in", "out", "dlq");
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        values.forEach((key, value) -> {
            ProducerRecord<byte[], byte[]> r = record(t.get(0), key, value);
            decorate.accept(r);
            in.add(r);
        });
        KafkaBroker.produce(in);
        try (RunningJob job = RunningJob.start(cluster, TestJobs.config(t.get(0), t.get(1), t.get(2), overrides))) {
            List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.read(t.get(1), true, values.size() - expectedDead,
                    Duration.ofMillis(500), Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> letters = KafkaBroker.read(t.get(2), true, expectedDead,
                    expectedDead == 0 ? Duration.ZERO : Duration.ofMillis(200),
                    expectedDead == 0 ? Duration.ofMillis(500) : Duration.ofSeconds(30));
            letters.forEach(r -> dead.put(string(r.key()), r));
            assertThat(out).hasSize(values.size() - letters.size());
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : out) {
                assertKeptIdentity(r);
                byKey.put(string(r.key()), r);
            }
            return byKey;
        }
    }

    // ---- checks against the reference ----

    private static void checkJsonRow(JsonNode node, float[] z, double beta) {
        double[] expected = ReferenceSoftmax.softmax(z, beta);
        assertValues(node.get("probabilities"), expected);
        assertTopK(node.get("top_k"), expected, 3);
        assertThat(node.get("argmax").asInt()).isEqualTo(argmax(expected));
        assertThat(node.get("argmax_label").asText()).isEqualTo(LABELS.get(argmax(expected)));
        assertSummaryClose("entropy", node.get("entropy").doubleValue(), entropy(expected));
        assertSummaryClose("margin", node.get("margin").doubleValue(), margin(expected));
    }

    /** A sigmoid row against the double logistic function: values within 4 ulp, ranking and thresholds. */
    private static void checkSigmoidRow(JsonNode node, float[] z, double[] thresholds) {
        double[] expected = ReferenceSoftmax.sigmoid(z, 1.0);
        JsonNode p = node.get("probabilities");
        assertThat(p).hasSize(expected.length);
        for (int j = 0; j < expected.length; j++) {
            Records.assertWithinUlps("sigmoid " + j, p.get(j).floatValue(), expected[j], 4);
        }
        int[] order = order(expected);
        assertThat(node.get("top_k")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(node.get("top_k").get(i).get("index").asInt()).isEqualTo(order[i]);
            Records.assertWithinUlps("top-k", node.get("top_k").get(i).get("probability").floatValue(),
                    expected[order[i]], 4);
        }
        assertThat(node.get("argmax").asInt()).isEqualTo(order[0]);
        assertThat(node.get("argmax_label").asText()).isEqualTo(LABELS.get(order[0]));
        assertThat(node.get("margin").doubleValue()).isCloseTo(expected[order[0]] - expected[order[1]],
                org.assertj.core.data.Offset.offset(1e-6));
        List<Integer> above = IntStream.range(0, z.length).filter(i -> expected[i] > thresholds[i]).boxed().toList();
        assertThat(JSON.convertValue(node.get("above_threshold"), int[].class)).containsExactly(
                above.stream().mapToInt(Integer::intValue).toArray());
        assertThat(JSON.convertValue(node.get("above_threshold_labels"), String[].class)).containsExactly(
                above.stream().map(LABELS::get).toArray(String[]::new));
    }

    private static void assertValues(JsonNode actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int j = 0; j < expected.length; j++) {
            assertClose("value " + j, actual.get(j).floatValue(), expected[j]);
        }
    }

    private static void assertTopK(JsonNode topK, double[] expected, int k) {
        int[] order = order(expected);
        assertThat(topK).hasSize(k);
        for (int i = 0; i < k; i++) {
            JsonNode entry = topK.get(i);
            assertThat(entry.get("index").asInt()).isEqualTo(order[i]);
            assertThat(entry.get("label").asText()).isEqualTo(LABELS.get(order[i]));
            assertClose("top-k probability", entry.get("probability").floatValue(), expected[order[i]]);
        }
    }

    /** Indices by descending probability, ties by index. */
    private static int[] order(double[] p) {
        return IntStream.range(0, p.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -p[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    private static int argmax(double[] p) {
        return order(p)[0];
    }

    private static int argmin(float[] z) {
        int best = -1;
        for (int i = 0; i < z.length; i++) {
            if (z[i] != Float.NEGATIVE_INFINITY && (best < 0 || z[i] < z[best])) {
                best = i;
            }
        }
        return best;
    }

    private static double entropy(double[] p) {
        double h = 0;
        for (double x : p) {
            if (x > 0) {
                h -= x * Math.log(x);
            }
        }
        return h;
    }

    private static double margin(double[] p) {
        int[] o = order(p);
        return p[o[0]] - p[o[1]];
    }

    private static JsonNode tensor(JsonNode response, String name) {
        for (JsonNode output : response.get("outputs")) {
            if (output.get("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output tensor named " + name + " in " + response);
    }
}
