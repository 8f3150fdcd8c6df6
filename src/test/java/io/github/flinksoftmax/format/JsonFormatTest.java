package io.github.flinksoftmax.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.github.flinksoftmax.format.Fixtures.ALL_EXTRAS;
import static io.github.flinksoftmax.format.Fixtures.ALL_EXTRAS_LABELLED;
import static io.github.flinksoftmax.format.Fixtures.assertRejected;
import static io.github.flinksoftmax.format.Fixtures.distribution;
import static io.github.flinksoftmax.format.Fixtures.text;
import static io.github.flinksoftmax.format.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class JsonFormatTest {

    private static final float[] QUARTERS = {0.25f, 0.75f};

    private final JsonFormat json = new JsonFormat(FormatSettings.DEFAULTS);

    private Logits decode(LogitsFormat format, String value) throws BadRecordException {
        return format.decode(utf8(value), HeaderLookup.NONE);
    }

    private String encode(LogitsFormat format, String input, Distribution output) throws BadRecordException {
        return text(format.encode(decode(format, input), output, (k, v) -> {
            throw new AssertionError("json writes no headers");
        }));
    }

    @Test
    void readsAVector() throws Exception {
        Logits logits = decode(json, " [1, -2.5, 3e2] ");
        assertThat(logits.values()).containsExactly(1f, -2.5f, 300f);
        assertThat(logits.shape()).containsExactly(3);
        assertThat(logits.rows()).isEqualTo(1);
        assertThat(logits.cols()).isEqualTo(3);
    }

    @Test
    void readsABatch() throws Exception {
        Logits logits = decode(json, "[[1, 2, 3], [4, 5, 6]]");
        assertThat(logits.values()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(logits.shape()).containsExactly(2, 3);
        assertThat(logits.rows()).isEqualTo(2);
        assertThat(logits.cols()).isEqualTo(3);
    }

    @Test
    void readsPythonsNonFiniteTokensAndOutOfRangeNumbers() throws Exception {
        Logits logits = decode(json, "[NaN, Infinity, -Infinity, 1e999, -1e999, 1e-999, 123456789012345678901234567890]");
        assertThat(logits.values()).containsExactly(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, 1.2345679E29f);
    }

    @Test
    void readsFloatsWithoutDoubleRounding() throws Exception {
        // just above the midpoint between 1 and the next float: parsed straight to float it rounds
        // up; via double it would become the midpoint itself and then round to even, to 1.0
        String halfwayPlus = "1.00000005960464477539062500000000000000001";
        assertThat(decode(json, "[" + halfwayPlus + "]").values()[0]).isEqualTo(Float.parseFloat(halfwayPlus));
    }

    @Test
    void writesAVectorAsAnObject() throws Exception {
        assertThat(encode(json, "[1, 2]", distribution(QUARTERS, 1, 2, false, Extras.NONE)))
                .isEqualTo("{\"probabilities\":[0.25,0.75]}");
    }

    @Test
    void writesABatchWithTheInputsRank() throws Exception {
        assertThat(encode(json, "[[1, 2], [2, 1]]",
                distribution(new float[] {0.25f, 0.75f, 0.75f, 0.25f}, 2, 2, false, Extras.NONE)))
                .isEqualTo("{\"probabilities\":[[0.25,0.75],[0.75,0.25]]}");
    }

    @Test
    void passesOtherFieldsThroughUnchanged() throws Exception {
        String input = "{\"id\": 7, \"logits\": [1, 2], \"meta\": {\"price\": 1.50, \"big\": 1e400, \"n\": NaN,"
                + " \"tags\": [\"a\", null, true]}, \"probabilities\": \"stale\", \"caf\\u00e9\": \"\u00e9\"}";
        assertThat(encode(json, input, distribution(QUARTERS, 1, 2, false, Extras.NONE))).isEqualTo(
                "{\"id\":7,\"meta\":{\"price\":1.50,\"big\":1E+400,\"n\":NaN,\"tags\":[\"a\",null,true]},"
                        + "\"caf\u00e9\":\"\u00e9\",\"probabilities\":[0.25,0.75]}");
    }

    @Test
    void followsANestedPointerAndKeepsTheRestOfThatObject() throws Exception {
        JsonFormat nested = new JsonFormat(FormatSettings.DEFAULTS.withLogitsPointer("/output/a~1b"));
        String input = "{\"output\": {\"model\": \"m\", \"a/b\": [[1, 2], [2, 1]]}, \"id\": \"x\"}";
        Logits logits = decode(nested, input);
        assertThat(logits.shape()).containsExactly(2, 2);
        assertThat(encode(nested, input,
                distribution(new float[] {0.25f, 0.75f, 0.75f, 0.25f}, 2, 2, false, Extras.NONE)))
                .isEqualTo("{\"output\":{\"model\":\"m\"},\"id\":\"x\",\"probabilities\":[[0.25,0.75],[0.75,0.25]]}");
    }

    @Test
    void writesMaskedLogProbabilitiesAsABareMinusInfinityThatReadsBack() throws Exception {
        float[] logProbs = {Float.NEGATIVE_INFINITY, -0.5f, 0f};
        String out = encode(json, "{\"logits\": [-Infinity, 1, 2]}", distribution(logProbs, 1, 3, true, Extras.NONE));
        assertThat(out).isEqualTo("{\"log_probabilities\":[-Infinity,-0.5,0.0]}");

        JsonFormat reader = new JsonFormat(FormatSettings.DEFAULTS.withLogitsPointer("/log_probabilities"));
        assertThat(decode(reader, out).values()).containsExactly(logProbs);
        JsonNode tree = JsonSupport.MAPPER.readTree(out);
        assertThat(tree.get("log_probabilities").get(0).doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void writesExtrasWithoutLabels() throws Exception {
        assertThat(encode(json, "[1, 2]", distribution(QUARTERS, 1, 2, false, ALL_EXTRAS))).isEqualTo(
                "{\"probabilities\":[0.25,0.75],"
                        + "\"top_k\":[{\"index\":1,\"probability\":0.75},{\"index\":0,\"probability\":0.25}],"
                        + "\"argmax\":1,\"entropy\":0.56233513,\"margin\":0.5}");
    }

    @Test
    void writesExtrasWithLabels() throws Exception {
        assertThat(encode(json, "[1, 2]", distribution(QUARTERS, 1, 2, false, ALL_EXTRAS_LABELLED))).isEqualTo(
                "{\"probabilities\":[0.25,0.75],"
                        + "\"top_k\":[{\"index\":1,\"label\":\"dog\",\"probability\":0.75},"
                        + "{\"index\":0,\"label\":\"cat\",\"probability\":0.25}],"
                        + "\"argmax\":1,\"argmax_label\":\"dog\",\"entropy\":0.56233513,\"margin\":0.5}");
    }

    @Test
    void writesOneExtraEntryPerRowForABatchAndLeavesUnknownLabelsOut() throws Exception {
        Extras extras = new Extras(1, true, false, false, new Labels(List.of("cat")));
        float[] probs = {0.25f, 0.75f, 0.75f, 0.25f};
        assertThat(encode(json, "[[1, 2], [2, 1]]", distribution(probs, 2, 2, false, extras))).isEqualTo(
                "{\"probabilities\":[[0.25,0.75],[0.75,0.25]],"
                        + "\"top_k\":[[{\"index\":1,\"probability\":0.75}],[{\"index\":0,\"label\":\"cat\",\"probability\":0.75}]],"
                        + "\"argmax\":[1,0],\"argmax_label\":[null,\"cat\"]}");
    }

    @Test
    void rejectsATombstoneAndAnEmptyValue() {
        assertRejected(json, null, HeaderLookup.NONE, Reason.EMPTY_RECORD, "null");
        assertRejected(json, "", Reason.MALFORMED_JSON, "the value is empty");
        assertRejected(json, "  ", Reason.MALFORMED_JSON, "the value is empty");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            [1, 2                             | MALFORMED_JSON | line 1
            [1 2]                             | MALFORMED_JSON | line 1
            [1] x                             | MALFORMED_JSON | line 1
            [1] [2]                           | MALFORMED_JSON | trailing content
            {"logits": [1]                    | MALFORMED_JSON | line 1
            [nan]                             | MALFORMED_JSON | nan
            [0x10]                            | MALFORMED_JSON | line 1
            {"logits": [1], "logits": [2]}    | MALFORMED_JSON | /logits appears twice
            [1, "2"]                          | WRONG_TYPE     | the top-level array[1] is a string; expected a number
            [true]                            | WRONG_TYPE     | [0] is a boolean
            [1, null]                         | WRONG_TYPE     | [1] is null
            [1, {}]                           | WRONG_TYPE     | [1] is an object
            [1, [2]]                          | WRONG_TYPE     | [1] is an array; expected a number
            [[1], 2]                          | WRONG_TYPE     | [1] is a number; expected an array
            [[[1]]]                           | WRONG_TYPE     | [0][0] is an array; expected a number
            5                                 | WRONG_TYPE     | the value is a number
            "logits"                          | WRONG_TYPE     | the value is a string
            {"logits": "1,2"}                 | WRONG_TYPE     | /logits is a string; expected an array
            {"logits": {"a": 1}}              | WRONG_TYPE     | /logits is an object
            {"logits": [[1, 2], ["x", 3]]}    | WRONG_TYPE     | /logits[1][0] is a string
            {"scores": [1, 2], "id": 3}       | MISSING_FIELD  | no field at /logits: the object has fields scores, id
            {}                                | MISSING_FIELD  | no other fields
            [[1, 2], [3]]                     | SHAPE_MISMATCH | [1] has 1 values; expected 2 like row 0
            [[1], [2, 3]]                     | SHAPE_MISMATCH | [1] has 2 values; expected 1
            []                                | EMPTY_VECTOR   | shape [0]
            [[]]                              | EMPTY_VECTOR   | shape [1, 0]
            {"logits": [[], []]}              | EMPTY_VECTOR   | /logits has shape [2, 0]
            """)
    void rejectsBadInput(String value, Reason reason, String fragment) {
        assertRejected(json, value, reason, fragment);
    }

    @Test
    void rejectsAMissingNestedField() {
        JsonFormat nested = new JsonFormat(FormatSettings.DEFAULTS.withLogitsPointer("/output/scores"));
        assertRejected(nested, "{\"output\": {\"probs\": [1]}}", Reason.MISSING_FIELD,
                "no field at /output/scores: /output has fields probs");
        assertRejected(nested, "{\"output\": [1, 2]}", Reason.MISSING_FIELD, "/output is an array, not an object");
        assertRejected(nested, "{\"id\": 1}", Reason.MISSING_FIELD, "the object has fields id");
    }

    @Test
    void rejectsMoreThanMaxElementsWhileStreaming() {
        JsonFormat small = new JsonFormat(FormatSettings.DEFAULTS.withMaxLength(4));
        assertRejected(small, "[[1, 2], [3, 4], [5, 6]]", Reason.TOO_LONG,
                "the top-level array holds more than 4 logits; the limit (softmax.max-length) is 4");
        assertRejected(small, "{\"logits\": [1, 2, 3, 4, 5]}", Reason.TOO_LONG, "/logits holds more than 4");
    }

    @Test
    void acceptsExactlyMaxElementsAndReusesItsBufferAcrossRecords() throws Exception {
        JsonFormat small = new JsonFormat(FormatSettings.DEFAULTS.withMaxLength(4));
        assertThat(decode(small, "[[1, 2], [3, 4]]").values()).containsExactly(1, 2, 3, 4);
        assertThat(decode(small, "[5]").values()).containsExactly(5);
    }
}
