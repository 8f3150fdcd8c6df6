package io.github.flinksoftmax.format;

import static io.github.flinksoftmax.format.Fixtures.distribution;
import static io.github.flinksoftmax.format.Fixtures.float32le;
import static io.github.flinksoftmax.format.Fixtures.text;
import static io.github.flinksoftmax.format.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.postprocess.Thresholds;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What each format writes for each activation: the name the values go by (json's
 * {@code probabilities}, {@code log_probabilities}, {@code scores}; oip-v2's configured tensor),
 * the above-threshold extra in all three formats, and the output reader reading both back.
 */
class ActivationOutputTest {

    /** Sigmoid probabilities of a batch of three rows of three classes. */
    private static final float[] SIGMOID_ROWS = {0.9f, 0.2f, 0.7f, 0.1f, 0.3f, 0.4f, 0.6f, 0.6f, 0.05f};
    private static final Extras THRESHOLDS = new Extras(0, false, false, false, new Labels(List.of("a", "b")),
            Thresholds.of(List.of(0.5)));

    private static JsonNode tree(byte[] json) throws Exception {
        return JsonSupport.MAPPER.readTree(json);
    }

    private static byte[] encode(LogitsFormat format, byte[] input, Distribution d, Map<String, byte[]> headers)
            throws BadRecordException {
        Logits logits = format.decode(input, headers::get);
        return format.encode(logits, d, headers::put);
    }

    @ParameterizedTest
    @CsvSource({"SOFTMAX, probabilities", "LOG_SOFTMAX, log_probabilities", "SIGMOID, probabilities",
            "NONE, scores"})
    void jsonNamesTheValuesAfterTheActivationAndReplacesAPassedThroughFieldOfThatName(Activation activation,
            String field) throws Exception {
        JsonFormat json = new JsonFormat(FormatSettings.DEFAULTS);
        float[] values = {0.25f, 0.75f};
        byte[] out = encode(json, utf8("{\"" + field + "\": \"old\", \"keep\": 1, \"logits\": [1, 2]}"),
                distribution(values, 1, 2, activation, Extras.NONE), new HashMap<>());
        JsonNode node = tree(out);
        assertThat(node.get("keep").asInt()).isOne();
        assertThat(node.get(field).isArray()).as(text(out)).isTrue();
        assertThat(node.get(field).get(1).floatValue()).isEqualTo(0.75f);
        for (String other : List.of("probabilities", "log_probabilities", "scores")) {
            if (!other.equals(field)) {
                assertThat(node.has(other)).as(other + " in " + text(out)).isFalse();
            }
        }
    }

    @Test
    void jsonTopKOfNoneListsScores() throws Exception {
        JsonFormat json = new JsonFormat(FormatSettings.DEFAULTS);
        float[] scores = {-3.5f, 12f, Float.NEGATIVE_INFINITY};
        byte[] out = encode(json, utf8("[1, 2, 3]"), distribution(scores, 1, 3, Activation.NONE,
                new Extras(2, true, false, false, Labels.NONE)), new HashMap<>());
        JsonNode topK = tree(out).get("top_k");
        assertThat(topK.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(topK.get(0).get("score").floatValue()).isEqualTo(12f);
        assertThat(topK.get(0).has("probability")).isFalse();
        assertThat(topK.get(1).get("score").floatValue()).isEqualTo(-3.5f);
        assertThat(tree(out).get("argmax").asInt()).isEqualTo(1);
    }

    @Test
    void jsonListsTheClassesAboveThresholdWithTheirLabelsPerRow() throws Exception {
        JsonFormat json = new JsonFormat(FormatSettings.DEFAULTS);
        byte[] batch = encode(json, utf8("[[1, 2, 3], [1, 2, 3], [1, 2, 3]]"),
                distribution(SIGMOID_ROWS, 3, 3, Activation.SIGMOID, THRESHOLDS), new HashMap<>());
        JsonNode node = tree(batch);
        assertThat(node.get("above_threshold").toString()).isEqualTo("[[0,2],[],[0,1]]");
        // class 2 has no label: null, as argmax_label writes it
        assertThat(node.get("above_threshold_labels").toString()).isEqualTo("[[\"a\",null],[],[\"a\",\"b\"]]");

        byte[] single = encode(json, utf8("{\"logits\": [1, 2, 3]}"), distribution(new float[] {0.9f, 0.2f, 0.7f},
                1, 3, Activation.SIGMOID, new Extras(0, false, false, false, Labels.NONE, Thresholds.of(List.of(0.5)))),
                new HashMap<>());
        assertThat(tree(single).get("above_threshold").toString()).isEqualTo("[0,2]");
        assertThat(tree(single).has("above_threshold_labels")).as("no labels configured").isFalse();
    }

    @Test
    void jsonWritesNoAboveThresholdWithoutThresholds() throws Exception {
        JsonFormat json = new JsonFormat(FormatSettings.DEFAULTS);
        byte[] out = encode(json, utf8("[1, 2, 3]"), distribution(new float[] {0.9f, 0.2f, 0.7f}, 1, 3,
                Activation.SIGMOID, new Extras(1, true, false, false, Labels.NONE)), new HashMap<>());
        assertThat(tree(out).has("above_threshold")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void oipWritesEveryActivationToTheConfiguredTensor(Activation activation) throws Exception {
        OipV2Format oip = new OipV2Format(FormatSettings.DEFAULTS.withOipOutputTensor("out"));
        byte[] out = encode(oip, utf8("{\"outputs\": [{\"name\": \"o\", \"datatype\": \"FP32\", \"shape\": [2],"
                + " \"data\": [1, 2]}]}"), distribution(new float[] {0.25f, 0.75f}, 1, 2, activation, Extras.NONE),
                new HashMap<>());
        JsonNode outputs = tree(out).get("outputs");
        assertThat(outputs).hasSize(1);
        assertThat(outputs.get(0).get("name").asText()).isEqualTo("out");
        assertThat(outputs.get(0).get("datatype").asText()).isEqualTo("FP32");
    }

    @Test
    void oipWritesAboveThresholdAsABoolTensorOfTheValuesShape() throws Exception {
        OipV2Format oip = new OipV2Format(FormatSettings.DEFAULTS);
        byte[] out = encode(oip, utf8("{\"outputs\": [{\"name\": \"o\", \"datatype\": \"FP32\", \"shape\": [1, 3, 3],"
                + " \"data\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}]}"),
                distribution(SIGMOID_ROWS, 3, 3, Activation.SIGMOID, THRESHOLDS), new HashMap<>());
        JsonNode above = null;
        for (JsonNode tensor : tree(out).get("outputs")) {
            if (tensor.get("name").asText().equals("above_threshold")) {
                above = tensor;
            }
        }
        assertThat(above).as("above_threshold tensor").isNotNull();
        assertThat(above.get("datatype").asText()).isEqualTo("BOOL");
        assertThat(above.get("shape").toString()).isEqualTo("[1,3,3]");
        assertThat(above.get("data").toString()).isEqualTo("[true,false,true,false,false,false,true,true,false]");
    }

    @Test
    void float32leWritesAboveThresholdToAHeaderRowsBySemicolonIndicesByComma() throws Exception {
        Float32LeFormat f32 = new Float32LeFormat(FormatSettings.DEFAULTS.withFloat32leClasses(3));
        Map<String, byte[]> headers = new LinkedHashMap<>();
        f32.encode(f32.decode(float32le(SIGMOID_ROWS), HeaderLookup.NONE),
                distribution(SIGMOID_ROWS, 3, 3, Activation.SIGMOID, THRESHOLDS), headers::put);
        assertThat(headers.keySet()).containsExactly(Float32LeFormat.ABOVE_THRESHOLD_HEADER);
        assertThat(text(headers.get(Float32LeFormat.ABOVE_THRESHOLD_HEADER))).isEqualTo("0,2;;0,1");
        assertThat(Float32LeFormat.ABOVE_THRESHOLD_HEADER).isEqualTo("softmax.above-threshold");
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void theReaderReadsBackSigmoidWithTheClassesAboveThreshold(WireFormat format) throws Exception {
        Distribution d = distribution(SIGMOID_ROWS, 3, 3, Activation.SIGMOID, THRESHOLDS);
        OutputReader.Output out = roundTrip(format, d);
        assertThat(out.activation()).isEqualTo(Activation.SIGMOID);
        assertThat(out.values()).containsExactly(SIGMOID_ROWS);
        List<List<Integer>> above = new ArrayList<>();
        out.aboveThreshold().forEach(row -> above.add(java.util.Arrays.stream(row).boxed().toList()));
        assertThat(above).containsExactly(List.of(0, 2), List.of(), List.of(0, 1));
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void theReaderReadsBackScoresOfNone(WireFormat format) throws Exception {
        float[] scores = {-3.5f, 12f, Float.NEGATIVE_INFINITY, 0f, 1f, 2f, 7f, 7f, -7f};
        Distribution d = distribution(scores, 3, 3, Activation.NONE, new Extras(2, true, false, false, Labels.NONE));
        OutputReader.Output out = roundTrip(format, d);
        assertThat(out.activation()).isEqualTo(Activation.NONE);
        assertThat(out.values()).containsExactly(scores);
        assertThat(out.argmax()).containsExactly(1, 2, 0);
        assertThat(out.topK().get(0).get(0).probability()).isEqualTo(12f);
        assertThat(out.aboveThreshold()).isEmpty();
    }

    /** Encodes {@code d} (three rows of three) for an input of that shape in {@code format}, and reads it back. */
    private static OutputReader.Output roundTrip(WireFormat format, Distribution d) throws Exception {
        LogitsFormat codec = format.create(FormatSettings.DEFAULTS);
        Map<String, byte[]> headers = new HashMap<>();
        byte[] input = switch (format) {
            case JSON -> utf8("{\"id\": \"r-1\", \"logits\": [[1, 2, 3], [4, 5, 6], [7, 8, 9]]}");
            case OIP_V2 -> utf8("{\"id\": \"r-1\", \"outputs\": [{\"name\": \"o\", \"datatype\": \"FP32\","
                    + " \"shape\": [3, 3], \"data\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}]}");
            case FLOAT32LE -> {
                headers.put(Float32LeFormat.SHAPE_HEADER, utf8("3,3"));
                yield new byte[4 * 9];
            }
        };
        byte[] encoded = encode(codec, input, d, headers);
        return OutputReader.of(format, FormatSettings.DEFAULTS, d.activation()).read(utf8("r-1"), encoded, headers::get);
    }
}
