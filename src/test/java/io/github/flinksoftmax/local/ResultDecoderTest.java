package io.github.flinksoftmax.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.github.flinksoftmax.format.FormatSettings;
import io.github.flinksoftmax.format.HeaderLookup;
import io.github.flinksoftmax.format.OutputReader;
import io.github.flinksoftmax.format.WireFormat;
import io.github.flinksoftmax.kernel.Activation;

import org.junit.jupiter.api.Test;

/**
 * What the console shows of each output shape the formats write: the job's own top-k where the
 * record carries one, else the first row ranked with the job's labels. (Reading the records is
 * {@code OutputReaderTest}'s subject; this is about what is shown.)
 */
class ResultDecoderTest {

    private static final List<String> LABELS = List.of("cat", "dog", "fox", "owl");
    private final ResultDecoder decoder = decoder(WireFormat.JSON, false);

    @Test
    void jsonObjectWithTopKUsesTheJobsRankingAndId() {
        ResultDecoder.Result r = decode("{\"id\": \"img-1\", \"probabilities\": [0.1, 0.7, 0.2, 0.0],"
                + " \"top_k\": [{\"index\": 1, \"label\": \"dog\", \"probability\": 0.7},"
                + " {\"index\": 2, \"label\": \"fox\", \"probability\": 0.2}], \"argmax\": 1, \"entropy\": 0.8}");
        assertThat(r.id()).isEqualTo("img-1");
        assertThat(r.rows()).isEqualTo(1);
        assertThat(r.top()).extracting(OutputReader.Ranked::label).containsExactly("dog", "fox");
        assertThat(r.problem()).isNull();
    }

    @Test
    void jsonBatchShowsItsFirstRowAndRowCount() {
        ResultDecoder.Result r = decode("{\"id\": \"b\", \"probabilities\": [[0.5, 0.5, 0, 0], [0, 0, 0, 1]],"
                + " \"top_k\": [[{\"index\": 0, \"label\": \"cat\", \"probability\": 0.5}],"
                + " [{\"index\": 3, \"label\": \"owl\", \"probability\": 1.0}]]}");
        assertThat(r.rows()).isEqualTo(2);
        assertThat(r.top()).extracting(OutputReader.Ranked::label).containsExactly("cat");
    }

    @Test
    void probabilitiesAloneAreRankedWithTheJobsLabelsTiesByIndex() {
        // what the temporary JSON stub writes: no id, no top_k
        ResultDecoder.Result r = decoder.decode("key-7".getBytes(StandardCharsets.UTF_8),
                "{\"probabilities\": [0.1, 0.3, 0.3, 0.3]}".getBytes(StandardCharsets.UTF_8), HeaderLookup.NONE);
        assertThat(r.id()).isEqualTo("key-7");
        assertThat(r.top()).extracting(OutputReader.Ranked::index).containsExactly(1, 2);
        assertThat(r.top()).extracting(OutputReader.Ranked::label).containsExactly("dog", "fox");
    }

    @Test
    void logProbabilitiesAreShownAsProbabilities() {
        ResultDecoder.Result r = decoder(WireFormat.FLOAT32LE, true).decode(null, le(Float.NEGATIVE_INFINITY, -0.105f,
                -2.303f, Float.NEGATIVE_INFINITY), HeaderLookup.NONE);
        assertThat(r.top().get(0).probability()).isCloseTo(0.9f, org.assertj.core.data.Offset.offset(1e-3f));
    }

    @Test
    void oipV2ResponseUsesTheTritonStyleTopKTensor() {
        ResultDecoder.Result r = decode(WireFormat.OIP_V2, "{\"model_name\": \"resnet\", \"id\": \"req-9\", \"outputs\": ["
                + "{\"name\": \"probabilities\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [0.1, 0.2, 0.6, 0.1]},"
                + "{\"name\": \"top_k\", \"datatype\": \"BYTES\", \"shape\": [1, 2], \"data\": [\"0.6:2:fox\", \"0.2:1:dog\"]}]}");
        assertThat(r.id()).isEqualTo("req-9");
        assertThat(r.top()).extracting(OutputReader.Ranked::label).containsExactly("fox", "dog");
        assertThat(r.top().get(0).probability()).isEqualTo(0.6f);
    }

    @Test
    void oipV2ResponseWithoutTopKIsRankedFromItsTensor() {
        ResultDecoder.Result r = decode(WireFormat.OIP_V2, "{\"outputs\": [{\"name\": \"probabilities\", \"datatype\": \"FP32\","
                + " \"shape\": [2, 4], \"data\": [[0.1, 0.2, 0.6, 0.1], [1, 0, 0, 0]]}]}");
        assertThat(r.rows()).isEqualTo(2);
        assertThat(r.top()).extracting(OutputReader.Ranked::label).containsExactly("fox", "dog");
    }

    @Test
    void float32leUsesTheTopKHeaderElseTheRawFloats() {
        byte[] floats = le(0.25f, 0.05f, 0.1f, 0.6f, 0f, 1f, 0f, 0f);
        ResultDecoder float32le = decoder(WireFormat.FLOAT32LE, false);
        ResultDecoder.Result fromHeader = float32le.decode(null, floats,
                header(Map.of("softmax.top-k", "0.6:3:owl,0.25:0:cat;0.9:1:dog", "shape", "2,4")));
        assertThat(fromHeader.rows()).isEqualTo(2);
        assertThat(fromHeader.top()).extracting(OutputReader.Ranked::label).containsExactly("owl", "cat");
        ResultDecoder.Result raw = float32le.decode(null, le(0.25f, 0.05f, 0.1f, 0.6f, 1f, 0f, 0f, 0f), header(Map.of("shape", "2,4")));
        assertThat(raw.rows()).isEqualTo(2);
        assertThat(raw.top()).extracting(OutputReader.Ranked::label).containsExactly("owl", "cat");
    }

    @Test
    void unreadableRecordsBecomeAProblemNotAnException() {
        assertThat(decode("{\"id\": \"x\"}").problem()).contains("no probabilities");
        assertThat(decode(WireFormat.OIP_V2, "{\"top_k\": [{\"index\": 1}], \"outputs\": 5}").problem()).isNotNull();
        assertThat(decoder(WireFormat.FLOAT32LE, false).decode(null, new byte[] {1, 2, 3}, HeaderLookup.NONE).problem())
                .contains("3 bytes");
        assertThat(decoder.decode(null, new byte[0], HeaderLookup.NONE).problem()).contains("empty value");
    }

    private ResultDecoder.Result decode(String json) {
        return decode(WireFormat.JSON, json);
    }

    private static ResultDecoder.Result decode(WireFormat format, String json) {
        return decoder(format, false).decode(null, json.getBytes(StandardCharsets.UTF_8), HeaderLookup.NONE);
    }

    private static ResultDecoder decoder(WireFormat format, boolean log) {
        return new ResultDecoder(OutputReader.of(format, FormatSettings.DEFAULTS,
                log ? Activation.LOG_SOFTMAX : Activation.SOFTMAX), LABELS, 2);
    }

    private static HeaderLookup header(Map<String, String> headers) {
        return key -> headers.containsKey(key) ? headers.get(key).getBytes(StandardCharsets.UTF_8) : null;
    }

    private static byte[] le(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
