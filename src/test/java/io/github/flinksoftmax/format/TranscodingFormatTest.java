package io.github.flinksoftmax.format;

import static io.github.flinksoftmax.format.Fixtures.distribution;
import static io.github.flinksoftmax.format.Fixtures.float32le;
import static io.github.flinksoftmax.format.Fixtures.text;
import static io.github.flinksoftmax.format.Fixtures.utf8;
import static io.github.flinksoftmax.testing.Records.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.kernel.Softmax;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.testing.ReferenceSoftmax;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair of input and output format (3 x 3), on a single vector and on a batch: decoded by the
 * input format, softmax by the kernel, encoded by the output format and read back by the
 * {@link OutputReader}, with the values against the double-precision reference, the rank and shape
 * kept, and the extras. Then what each direction carries across, as docs/formats.md shows it
 * (checked as whole output text where the docs give the example), and that a job whose formats
 * agree writes byte for byte what the format alone writes.
 */
class TranscodingFormatTest {

    private static final FormatSettings SETTINGS = FormatSettings.DEFAULTS;
    private static final List<String> LABELS = List.of("cat", "dog", "fox", "owl", "eel", "yak");
    private static final Extras EXTRAS = new Extras(2, true, true, true, new Labels(LABELS));
    private static final float[][] ROWS = {{1.5f, -0.25f, 3f, 0f, 2.75f, -4f},
            {9f, -9f, 0f, Float.NEGATIVE_INFINITY, 2f, 3f}};

    /** An input record: its value and its headers. */
    private record Input(byte[] value, Map<String, byte[]> headers) {}

    static Stream<Arguments> pairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (WireFormat in : WireFormat.values()) {
            for (WireFormat out : WireFormat.values()) {
                pairs.add(Arguments.of(in, out, false));
                pairs.add(Arguments.of(in, out, true));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}, batch {2}")
    @MethodSource("pairs")
    void valuesShapeAndExtrasSurviveEveryPairOfFormats(WireFormat in, WireFormat out, boolean batch) throws Exception {
        int rows = batch ? 2 : 1;
        int[] shape = batch ? new int[] {2, 6} : new int[] {6};
        Input input = input(in, shape);
        Map<String, byte[]> headers = new LinkedHashMap<>(input.headers());
        LogitsFormat format = in.create(SETTINGS, out);

        Logits logits = format.decode(input.value(), headers::get);
        Distribution d = softmax(logits);
        byte[] encoded = format.encode(logits, d, headers::put); // put: the header added last is the one read

        OutputReader.Output o = OutputReader.of(out, SETTINGS, Activation.SOFTMAX).read(utf8("k"), encoded,
                headers::get);
        assertThat(o.rows()).isEqualTo(rows);
        assertThat(o.classes()).isEqualTo(6);
        for (int r = 0; r < rows; r++) {
            double[] expected = ReferenceSoftmax.softmax(ROWS[r], 1.0);
            for (int j = 0; j < 6; j++) {
                assertClose(in + " -> " + out + " row " + r + " class " + j, o.row(r)[j], expected[j]);
            }
            assertThat(o.argmax()[r]).isEqualTo(argmax(expected));
            assertThat(o.topK().get(r).get(0).label()).isEqualTo(LABELS.get(argmax(expected)));
            assertClose("entropy", o.entropy()[r], d.summaries()[r].entropy());
        }
        assertThat(writtenShape(in, out, encoded, headers)).as("shape written").containsExactly(shape);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void formatsThatAgreeAreTheFormatItselfAndWriteTheSameBytes(WireFormat format) throws Exception {
        LogitsFormat alone = format.create(SETTINGS);
        LogitsFormat paired = format.create(SETTINGS, format);
        assertThat(paired).isExactlyInstanceOf(alone.getClass());
        Input input = input(format, new int[] {2, 6});
        Map<String, byte[]> aloneHeaders = new LinkedHashMap<>();
        Map<String, byte[]> pairedHeaders = new LinkedHashMap<>();
        Logits a = alone.decode(input.value(), input.headers()::get);
        Logits b = paired.decode(input.value(), input.headers()::get);
        assertThat(paired.encode(b, softmax(b), pairedHeaders::put))
                .isEqualTo(alone.encode(a, softmax(a), aloneHeaders::put));
        assertThat(pairedHeaders).containsOnlyKeys(aloneHeaders.keySet());
    }

    @Test
    void deadLettersNameTheInputFormatForDecodingAndTheOutputFormatForEncoding() {
        LogitsFormat format = WireFormat.OIP_V2.create(SETTINGS, WireFormat.JSON);
        assertThat(format.decoderClass()).isEqualTo(OipV2Format.class);
        assertThat(format.encoderClass()).isEqualTo(JsonFormat.class);
        assertThat(WireFormat.JSON.create(SETTINGS).decoderClass()).isEqualTo(JsonFormat.class);
    }

    @Test
    void oipV2ToJsonCarriesModelNameVersionIdAndParametersAsFields() throws Exception {
        String response = "{\"model_name\": \"resnet\", \"model_version\": \"3\", \"id\": \"req-1\","
                + " \"parameters\": {\"sequence_id\": 7}, \"outputs\": [{\"name\": \"logits\", \"shape\": [1, 2],"
                + " \"datatype\": \"FP32\", \"data\": [0, 0]}]}";
        assertThat(transcode(WireFormat.OIP_V2, WireFormat.JSON, response)).isEqualTo("{\"model_name\":\"resnet\","
                + "\"model_version\":\"3\",\"id\":\"req-1\",\"parameters\":{\"sequence_id\":7},"
                + "\"probabilities\":[[0.5,0.5]]}");
    }

    @Test
    void jsonToOipV2PutsTheIdentityFieldsOnTopAndTheRestInParameters() throws Exception {
        String object = "{\"id\": \"abc\", \"model_name\": \"m\", \"camera\": \"cam-3\", \"frame\": {\"n\": 4},"
                + " \"parameters\": {\"priority\": 1, \"camera\": \"own\"}, \"logits\": [0, 0]}";
        assertThat(transcode(WireFormat.JSON, WireFormat.OIP_V2, object)).isEqualTo("{\"model_name\":\"m\","
                + "\"id\":\"abc\",\"parameters\":{\"priority\":1,\"camera\":\"own\",\"frame\":{\"n\":4}},"
                + "\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[0.5,0.5]}]}");
    }

    @Test
    void aJsonParametersFieldThatIsNoObjectIsOneParameterLikeAnyOtherField() throws Exception {
        assertThat(transcode(WireFormat.JSON, WireFormat.OIP_V2, "{\"parameters\": 5, \"logits\": [0, 0]}"))
                .startsWith("{\"parameters\":{\"parameters\":5},\"outputs\"");
    }

    @Test
    void jsonToOipV2AndBackKeepsEveryField() throws Exception {
        String object = "{\"id\": \"abc\", \"model_name\": \"m\", \"model_version\": \"2\","
                + " \"parameters\": {\"priority\": 1}, \"logits\": [0, 0]}";
        String response = transcode(WireFormat.JSON, WireFormat.OIP_V2, object);
        String back = transcode(WireFormat.OIP_V2, WireFormat.JSON, response);
        assertThat(back).isEqualTo("{\"model_name\":\"m\",\"model_version\":\"2\",\"id\":\"abc\","
                + "\"parameters\":{\"priority\":1},\"probabilities\":[0.5,0.5]}");
    }

    @Test
    void recordsWithNothingToCarryWriteOnlyTheValues() throws Exception {
        assertThat(transcode(WireFormat.JSON, WireFormat.OIP_V2, "[0, 0]")).isEqualTo("{\"outputs\":[{\"name\":"
                + "\"probabilities\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[0.5,0.5]}]}");
        LogitsFormat f32ToJson = WireFormat.FLOAT32LE.create(SETTINGS, WireFormat.JSON);
        Logits logits = f32ToJson.decode(float32le(0f, 0f), HeaderLookup.NONE);
        assertThat(text(f32ToJson.encode(logits, softmax(logits, Extras.NONE), (k, v) -> {})))
                .isEqualTo("{\"probabilities\":[0.5,0.5]}");
        assertThat(transcode(WireFormat.OIP_V2, WireFormat.JSON, "{\"outputs\": [{\"name\": \"l\", \"shape\": [2],"
                + " \"datatype\": \"FP32\", \"data\": [0, 0]}]}")).isEqualTo("{\"probabilities\":[0.5,0.5]}");
    }

    @Test
    void jsonToFloat32leAnnouncesTheShapeInAHeaderBeforeTheExtras() throws Exception {
        LogitsFormat format = WireFormat.JSON.create(SETTINGS, WireFormat.FLOAT32LE);
        Logits logits = format.decode(utf8("{\"id\": \"abc\", \"logits\": [[0, 0], [1, 1]]}"), HeaderLookup.NONE);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        byte[] value = format.encode(logits, softmax(logits, new Extras(0, true, false, false, Labels.NONE)),
                headers::put);
        assertThat(value).isEqualTo(float32le(0.5f, 0.5f, 0.5f, 0.5f));
        assertThat(headers.keySet()).containsExactly(Float32LeFormat.SHAPE_HEADER, Float32LeFormat.ARGMAX_HEADER);
        assertThat(text(headers.get(Float32LeFormat.SHAPE_HEADER))).isEqualTo("2,2");
        assertThat(text(headers.get(Float32LeFormat.ARGMAX_HEADER))).isEqualTo("0;0");
        assertThat(Float32LeFormat.parseShape(headers.get(Float32LeFormat.SHAPE_HEADER))).containsExactly(2, 2);
    }

    @Test
    void oipV2OfRankThreeKeepsItsShapeInFloat32leAndOipButIsRowsInJson() throws Exception {
        String response = "{\"outputs\": [{\"name\": \"l\", \"shape\": [2, 1, 2], \"datatype\": \"FP32\","
                + " \"data\": [[[0, 0]], [[1, 1]]]}]}";
        Map<String, byte[]> headers = new LinkedHashMap<>();
        LogitsFormat toFloat32le = WireFormat.OIP_V2.create(SETTINGS, WireFormat.FLOAT32LE);
        Logits logits = toFloat32le.decode(utf8(response), HeaderLookup.NONE);
        toFloat32le.encode(logits, softmax(logits), headers::put);
        assertThat(text(headers.get(Float32LeFormat.SHAPE_HEADER))).isEqualTo("2,1,2");

        LogitsFormat float32leToOip = WireFormat.FLOAT32LE.create(SETTINGS, WireFormat.OIP_V2);
        Logits back = float32leToOip.decode(float32le(0, 0, 1, 1), headers::get);
        JsonNode tensor = JsonSupport.MAPPER.readTree(float32leToOip.encode(back, softmax(back), (k, v) -> {}))
                .get("outputs").get(0);
        assertThat(JsonSupport.MAPPER.convertValue(tensor.get("shape"), int[].class)).containsExactly(2, 1, 2);

        assertThat(transcode(WireFormat.OIP_V2, WireFormat.JSON, response))
                .isEqualTo("{\"probabilities\":[[0.5,0.5],[0.5,0.5]]}");
    }

    private static Distribution softmax(Logits logits) {
        return softmax(logits, EXTRAS);
    }

    /** The real kernel in place, as the job runs it, then the real summarizer. */
    private static Distribution softmax(Logits logits, Extras extras) {
        float[] v = logits.values();
        Softmax.scalar().compute(v, 0, v, 0, logits.rows(), logits.cols(), 1f, Activation.SOFTMAX);
        return distribution(v, logits.rows(), logits.cols(), Activation.SOFTMAX, extras);
    }

    /** The output value, as text, of {@code value} read in {@code in} and written in {@code out}, without extras. */
    private static String transcode(WireFormat in, WireFormat out, String value) throws BadRecordException {
        LogitsFormat format = in.create(SETTINGS, out);
        Logits logits = format.decode(utf8(value), HeaderLookup.NONE);
        return text(format.encode(logits, softmax(logits, Extras.NONE), (k, v) -> {}));
    }

    /** {@link #ROWS} of this shape in format {@code in}, with what each format carries besides the logits. */
    private static Input input(WireFormat in, int[] shape) throws Exception {
        float[][] rows = shape.length == 1 ? new float[][] {ROWS[0]} : ROWS;
        // as Python's json.dumps writes -Infinity: a bare token, whether or not the mapper quotes it
        String json = JsonSupport.MAPPER.writeValueAsString(shape.length == 1 ? ROWS[0] : rows)
                .replace("\"-Infinity\"", "-Infinity");
        return switch (in) {
            case JSON -> new Input(utf8("{\"id\": \"r-1\", \"camera\": \"cam-3\", \"logits\": " + json + "}"), Map.of());
            case OIP_V2 -> new Input(utf8("{\"model_name\": \"m\", \"id\": \"r-1\", \"outputs\": [{\"name\": \"logits\","
                    + " \"datatype\": \"FP32\", \"shape\": " + Arrays.toString(shape) + ", \"data\": " + json + "}]}"),
                    Map.of());
            case FLOAT32LE -> new Input(float32le(flat(rows)), shape.length == 1 ? Map.of()
                    : Map.of(Float32LeFormat.SHAPE_HEADER, utf8(Arrays.toString(shape))));
        };
    }

    /** The shape the output says it has: the json nesting, the OIP tensor's shape, the float32le shape header. */
    private static int[] writtenShape(WireFormat in, WireFormat out, byte[] encoded, Map<String, byte[]> headers)
            throws Exception {
        return switch (out) {
            case JSON -> {
                JsonNode values = JsonSupport.MAPPER.readTree(encoded).get("probabilities");
                yield values.get(0).isArray() ? new int[] {values.size(), values.get(0).size()}
                        : new int[] {values.size()};
            }
            case OIP_V2 -> JsonSupport.MAPPER.convertValue(
                    JsonSupport.MAPPER.readTree(encoded).get("outputs").get(0).get("shape"), int[].class);
            case FLOAT32LE -> {
                byte[] shape = headers.get(Float32LeFormat.SHAPE_HEADER);
                if (in == WireFormat.FLOAT32LE && shape == null) {
                    yield new int[] {encoded.length / 4}; // a value without a header is one row, as it came
                }
                yield Float32LeFormat.parseShape(shape);
            }
        };
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[0].length, rows[0].length);
        }
        return out;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return best;
    }
}
