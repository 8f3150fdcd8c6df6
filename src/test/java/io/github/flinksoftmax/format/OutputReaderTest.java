package io.github.flinksoftmax.format;

import static io.github.flinksoftmax.format.Fixtures.ALL_EXTRAS_LABELLED;
import static io.github.flinksoftmax.format.Fixtures.distribution;
import static io.github.flinksoftmax.format.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The output reader reads back, bit for bit, what each format's encoder writes: the
 * distribution, its shape, and every extra, for a single row and a batch. The oracle is the
 * distribution given to the real encoder.
 */
class OutputReaderTest {

    private static final float[] PROBABILITIES = {0.1f, 0.6f, 0.3f, 0.5f, 0.25f, 0.25f};

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void readsBackABatchWithEveryExtra(WireFormat format) throws Exception {
        Distribution d = distribution(PROBABILITIES, 2, 3, false, ALL_EXTRAS_LABELLED);
        OutputReader.Output out = roundTrip(format, d, new int[] {2, 3}, "[[0, 1, 2], [3, 4, 5]]");
        assertThat(out.classes()).isEqualTo(3);
        assertThat(out.rows()).isEqualTo(2);
        assertThat(out.values()).containsExactly(PROBABILITIES);
        assertThat(out.row(1)).containsExactly(0.5f, 0.25f, 0.25f);
        assertThat(out.topK()).hasSize(2);
        assertThat(out.topK().get(0)).extracting(OutputReader.Ranked::index).containsExactly(1, 2);
        assertThat(out.topK().get(0)).extracting(OutputReader.Ranked::label).containsExactly("dog", null);
        assertThat(out.topK().get(0).get(0).probability()).isEqualTo(0.6f);
        assertThat(out.argmax()).containsExactly(d.summaries()[0].argmax(), d.summaries()[1].argmax());
        assertThat(out.entropy()).containsExactly(d.summaries()[0].entropy(), d.summaries()[1].entropy());
        assertThat(out.margin()).containsExactly(d.summaries()[0].margin(), d.summaries()[1].margin());
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void readsBackASingleRowWithoutExtras(WireFormat format) throws Exception {
        Distribution d = distribution(new float[] {0.25f, 0.75f}, 1, 2, false, Extras.NONE);
        OutputReader.Output out = roundTrip(format, d, new int[] {2}, "[1, 2]");
        assertThat(out.rows()).isOne();
        assertThat(out.values()).containsExactly(0.25f, 0.75f);
        assertThat(out.topK()).isEmpty();
        assertThat(out.argmax()).isNull();
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void readsBackLogProbabilitiesWithMaskedClasses(WireFormat format) throws Exception {
        float[] log = {Float.NEGATIVE_INFINITY, -0.105f, -2.303f};
        Distribution d = distribution(log, 1, 3, true, Extras.NONE);
        OutputReader.Output out = roundTrip(format, d, new int[] {3}, "[-Infinity, 1, 2]");
        assertThat(out.log()).isTrue();
        assertThat(out.values()).containsExactly(log);
    }

    @Test
    void anOutputOfAnotherFormatIsRejectedWithTheFormatsName() {
        OutputReader reader = OutputReader.of(WireFormat.OIP_V2, FormatSettings.DEFAULTS, Activation.SOFTMAX);
        assertThatThrownBy(() -> reader.read(null, utf8("{\"probabilities\": [1.0]}"), HeaderLookup.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("oip.output-tensor");
        assertThatThrownBy(() -> reader.read(null, new byte[] {1, 2, 3}, HeaderLookup.NONE))
                .hasMessageContaining("not oip-v2 output");
    }

    /** Decodes an input of this shape with the real format, encodes {@code d} for it, reads it back. */
    private static OutputReader.Output roundTrip(WireFormat format, Distribution d, int[] shape, String jsonLogits)
            throws Exception {
        FormatSettings settings = FormatSettings.DEFAULTS;
        LogitsFormat codec = format.create(settings);
        Map<String, byte[]> headers = new HashMap<>();
        byte[] input = switch (format) {
            case JSON -> utf8("{\"id\": \"r-1\", \"logits\": " + jsonLogits + "}");
            case OIP_V2 -> utf8("{\"model_name\": \"m\", \"id\": \"r-1\", \"outputs\": [{\"name\": \"logits\","
                    + " \"datatype\": \"FP32\", \"shape\": " + java.util.Arrays.toString(shape) + ", \"data\": "
                    + jsonLogits + "}]}");
            case FLOAT32LE -> {
                headers.put(Float32LeFormat.SHAPE_HEADER, utf8(java.util.Arrays.toString(shape)));
                yield new byte[4 * d.values().length];
            }
        };
        Logits logits = codec.decode(input, headers::get);
        byte[] encoded = codec.encode(logits, d, headers::put);
        OutputReader.Output out = OutputReader.of(format, settings, d.activation()).read(utf8("r-1"), encoded, headers::get);
        assertThat(out.id()).isEqualTo("r-1");
        assertThat(out.activation()).isEqualTo(d.activation());
        return out;
    }
}
