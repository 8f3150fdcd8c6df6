package io.github.flinksoftmax.format;

import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.flinksoftmax.format.Fixtures.ALL_EXTRAS;
import static io.github.flinksoftmax.format.Fixtures.ALL_EXTRAS_LABELLED;
import static io.github.flinksoftmax.format.Fixtures.assertRejected;
import static io.github.flinksoftmax.format.Fixtures.distribution;
import static io.github.flinksoftmax.format.Fixtures.text;
import static io.github.flinksoftmax.format.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class OipV2FormatTest {

    private static final String TRITON_BATCH = """
            {"model_name": "resnet", "model_version": "3", "id": "req-1",
             "parameters": {"sequence_id": 0},
             "outputs": [
               {"name": "embedding", "datatype": "BYTES", "shape": [1], "data": ["x"]},
               {"name": "count", "datatype": "INT64", "shape": [], "data": [-1]},
               {"name": "logits", "datatype": "FP32", "shape": [2, 2], "data": [1.0, 2.0, 2.0, 1.0],
                "parameters": {"binary_data_size": 16}}
             ],
             "extra": {"ignored": true}}
            """;

    private static final float[] TWO_ROWS = {0.25f, 0.75f, 0.75f, 0.25f};

    private final OipV2Format first = new OipV2Format(FormatSettings.DEFAULTS);
    private final OipV2Format logits = new OipV2Format(FormatSettings.DEFAULTS.withOipInputTensor("logits"));

    private static Logits decode(LogitsFormat format, String value) throws BadRecordException {
        return format.decode(utf8(value), HeaderLookup.NONE);
    }

    private static String encode(LogitsFormat format, String input, Distribution output) throws BadRecordException {
        return text(format.encode(decode(format, input), output, (k, v) -> {
            throw new AssertionError("oip-v2 writes no headers");
        }));
    }

    @Test
    void picksTheNamedOutputAndSkipsTheOthers() throws Exception {
        Logits read = decode(logits, TRITON_BATCH);
        assertThat(read.values()).containsExactly(1, 2, 2, 1);
        assertThat(read.shape()).containsExactly(2, 2);
        assertThat(read.rows()).isEqualTo(2);
    }

    @Test
    void picksTheFirstOutputByDefault() throws Exception {
        Logits read = decode(first, "{\"outputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [3], \"data\": [1, 2, 3]},"
                + " {\"name\": \"b\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [9]}]}");
        assertThat(read.values()).containsExactly(1, 2, 3);
        assertThat(read.shape()).containsExactly(3);
    }

    @Test
    void readsNestedDataFp64Fp16AndAnyFieldOrder() throws Exception {
        Logits read = decode(logits, "{\"outputs\": [{\"data\": [[[0.5, -1]], [[1e300, 2]]], \"shape\": [2, 1, 2],"
                + " \"datatype\": \"FP64\", \"name\": \"logits\"}]}");
        assertThat(read.values()).containsExactly(0.5f, -1f, Float.POSITIVE_INFINITY, 2f);
        assertThat(read.shape()).containsExactly(2, 1, 2);
        assertThat(read.rows()).isEqualTo(2);
        assertThat(read.cols()).isEqualTo(2);
        Logits half = decode(first, "{\"outputs\": [{\"name\": \"h\", \"datatype\": \"FP16\", \"shape\": [1, 3],"
                + " \"data\": [[65504, 0.000061035156, -Infinity]]}]}");
        assertThat(half.values()).containsExactly(65504f, 0.000061035156f, Float.NEGATIVE_INFINITY);
        assertThat(decode(first, "{\"outputs\": [{\"datatype\": \"BF16\", \"shape\": [1], \"data\": [3.0]}]}").values())
                .containsExactly(3f);
    }

    @Test
    void writesAResponseWithTheSameIdentityAndShape() throws Exception {
        assertThat(encode(logits, TRITON_BATCH, distribution(TWO_ROWS, 2, 2, false, Extras.NONE))).isEqualTo(
                "{\"model_name\":\"resnet\",\"model_version\":\"3\",\"id\":\"req-1\",\"parameters\":{\"sequence_id\":0},"
                        + "\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[2,2],"
                        + "\"data\":[0.25,0.75,0.75,0.25]}]}");
    }

    @Test
    void writesExtrasAsTensorsWithTheLeadingDimensions() throws Exception {
        OipV2Format named = new OipV2Format(FormatSettings.DEFAULTS.withOipInputTensor("logits").withOipOutputTensor("probs"));
        assertThat(encode(named, TRITON_BATCH, distribution(TWO_ROWS, 2, 2, false, ALL_EXTRAS_LABELLED))).isEqualTo(
                "{\"model_name\":\"resnet\",\"model_version\":\"3\",\"id\":\"req-1\",\"parameters\":{\"sequence_id\":0},"
                        + "\"outputs\":[{\"name\":\"probs\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[0.25,0.75,0.75,0.25]},"
                        + "{\"name\":\"top_k\",\"datatype\":\"BYTES\",\"shape\":[2,2],"
                        + "\"data\":[\"0.75:1:dog\",\"0.25:0:cat\",\"0.75:0:cat\",\"0.25:1:dog\"]},"
                        + "{\"name\":\"argmax\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[1,0]},"
                        + "{\"name\":\"entropy\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[0.56233513,0.56233513]},"
                        + "{\"name\":\"margin\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[0.5,0.5]}]}");
    }

    @Test
    void writesScalarExtrasForAVectorAndTopKWithoutLabels() throws Exception {
        String input = "{\"model_name\": \"m\", \"outputs\": [{\"name\": \"o\", \"datatype\": \"FP32\", \"shape\": [2], \"data\": [1, 2]}]}";
        assertThat(encode(first, input, distribution(new float[] {0.25f, 0.75f}, 1, 2, false, ALL_EXTRAS))).isEqualTo(
                "{\"model_name\":\"m\",\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[0.25,0.75]},"
                        + "{\"name\":\"top_k\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"0.75:1\",\"0.25:0\"]},"
                        + "{\"name\":\"argmax\",\"datatype\":\"INT64\",\"shape\":[],\"data\":[1]},"
                        + "{\"name\":\"entropy\",\"datatype\":\"FP32\",\"shape\":[],\"data\":[0.56233513]},"
                        + "{\"name\":\"margin\",\"datatype\":\"FP32\",\"shape\":[],\"data\":[0.5]}]}");
    }

    @Test
    void writesMaskedLogProbabilitiesAsABareMinusInfinity() throws Exception {
        String input = "{\"outputs\": [{\"name\": \"o\", \"datatype\": \"FP32\", \"shape\": [2], \"data\": [-Infinity, 2]}]}";
        String out = encode(first, input, distribution(new float[] {Float.NEGATIVE_INFINITY, 0f}, 1, 2, true, Extras.NONE));
        assertThat(out).contains("\"data\":[-Infinity,0.0]");
        assertThat(decode(new OipV2Format(FormatSettings.DEFAULTS.withOipInputTensor("probabilities")), out).values())
                .containsExactly(Float.NEGATIVE_INFINITY, 0f);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            []                                                                          | WRONG_TYPE           | the value is an array
            {"outputs": {}}                                                             | WRONG_TYPE           | outputs is an object; expected an array
            {"outputs": [3]}                                                            | WRONG_TYPE           | outputs[0] is a number
            {"outputs": [{"name": 3}]}                                                  | WRONG_TYPE           | outputs[0].name is a number; expected a string
            {"outputs": [{"datatype": "FP32", "shape": [2], "data": [1, "2"]}]}         | WRONG_TYPE           | outputs[0].data element 1 is a string; expected a number
            {"outputs": [{"datatype": "FP32", "shape": [2], "data": 1}]}                | WRONG_TYPE           | outputs[0].data is a number
            {"outputs": [{"datatype": "FP32", "shape": [2.5], "data": [1, 2]}]}         | WRONG_TYPE           | outputs[0].shape[0] is a number; expected a non-negative integer
            {"model_name": "m"}                                                         | MISSING_FIELD        | outputs is missing
            {"outputs": [{"datatype": "FP32", "data": [1]}]}                            | MISSING_FIELD        | outputs[0].shape is missing
            {"outputs": [{"datatype": "FP32", "shape": [1]}]}                           | MISSING_FIELD        | outputs[0].data is missing
            {"outputs": [{"shape": [1], "data": [1]}]}                                  | MISSING_FIELD        | outputs[0].datatype is missing
            {"outputs": [{"datatype": "INT8", "shape": [1], "data": [1]}]}              | UNSUPPORTED_DATATYPE | outputs[0].datatype is INT8; expected one of FP32, FP64, FP16, BF16
            {"outputs": [{"datatype": "BYTES", "shape": [1], "data": ["a"]}]}           | UNSUPPORTED_DATATYPE | outputs[0].datatype is BYTES
            {"outputs": []}                                                             | UNKNOWN_OUTPUT       | outputs is empty
            {"outputs": [{"datatype": "FP32", "shape": [2, 2], "data": [1, 2, 3]}]}     | SHAPE_MISMATCH       | outputs[0].shape [2, 2] holds 4 elements; data has 3
            {"outputs": [{"datatype": "FP32", "shape": [-1, 2], "data": [1, 2]}]}       | SHAPE_MISMATCH       | outputs[0].shape[0] is -1; expected a non-negative integer
            {"outputs": [{"datatype": "FP32", "shape": [2, -99999999999999999999], "data": [1, 2]}]} | SHAPE_MISMATCH | outputs[0].shape[1] is below -2^63
            {"outputs": [{"datatype": "FP32", "shape": [], "data": [1]}]}               | SHAPE_MISMATCH       | outputs[0].shape is []
            {"outputs": [{"datatype": "FP32", "shape": [0, 3], "data": []}]}            | EMPTY_VECTOR         | outputs[0] has shape [0, 3] and no logits
            {"outputs": [{"datatype": "FP32", "shape": [99999999999999999999], "data": [1]}]} | TOO_LONG       | outputs[0] holds more than 2097152 logits
            {"outputs": [], "outputs": []}                                              | MALFORMED_JSON       | outputs appears twice
            {"outputs": [{"datatype": "FP32", "shape": [1], "data": [1]}]} []           | MALFORMED_JSON       | trailing content
            """)
    void rejectsBadInput(String value, Reason reason, String fragment) {
        assertRejected(first, value, reason, fragment);
    }

    @Test
    void namesTheWantedAndThePresentOutputs() {
        assertRejected(new OipV2Format(FormatSettings.DEFAULTS.withOipInputTensor("scores")), TRITON_BATCH,
                Reason.UNKNOWN_OUTPUT, "no output named scores; the response has embedding, count, logits");
        assertRejected(first, null, HeaderLookup.NONE, Reason.EMPTY_RECORD, "tombstone");
    }

    @Test
    void rejectsADeclaredOversizeShapeBeforeReadingTheData() {
        OipV2Format small = new OipV2Format(FormatSettings.DEFAULTS.withMaxLength(4));
        assertRejected(small, "{\"outputs\": [{\"name\": \"o\", \"shape\": [1000, 1000], \"datatype\": \"FP32\", \"data\": [1]}]}",
                Reason.TOO_LONG, "outputs[0] holds 1000000 logits; the limit (softmax.max-length) is 4");
        assertRejected(small, "{\"outputs\": [{\"data\": [1, 2, 3, 4, 5], \"datatype\": \"FP32\", \"shape\": [5]}]}",
                Reason.TOO_LONG, "outputs[0].data holds more than 4 logits");
    }
}
