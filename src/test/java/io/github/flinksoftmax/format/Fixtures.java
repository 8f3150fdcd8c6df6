package io.github.flinksoftmax.format;

import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.postprocess.Summarizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shared test inputs: distributions built by the real {@link Summarizer}, bytes, header maps. */
final class Fixtures {

    static final Extras ALL_EXTRAS = new Extras(2, true, true, true, Labels.NONE);
    static final Extras ALL_EXTRAS_LABELLED = new Extras(2, true, true, true, new Labels(List.of("cat", "dog")));

    private Fixtures() {}

    /** Probabilities, or log-probabilities with {@code log}. */
    static Distribution distribution(float[] values, int rows, int cols, boolean log, Extras extras) {
        return distribution(values, rows, cols, log ? Activation.LOG_SOFTMAX : Activation.SOFTMAX, extras);
    }

    static Distribution distribution(float[] values, int rows, int cols, Activation activation, Extras extras) {
        return new Distribution(values, rows, cols, activation, extras,
                new Summarizer(extras).summarize(values, rows, cols, activation));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] float32le(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static HeaderLookup headers(Map<String, String> map) {
        return key -> map.containsKey(key) ? utf8(map.get(key)) : null;
    }

    /** Asserts that decoding fails with {@code reason} and a message containing {@code fragment}. */
    static void assertRejected(LogitsFormat format, byte[] value, HeaderLookup headers, Reason reason, String fragment) {
        assertThatThrownBy(() -> format.decode(value, headers))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining(fragment)
                .extracting(e -> ((BadRecordException) e).reason())
                .isEqualTo(reason);
    }

    static void assertRejected(LogitsFormat format, String value, Reason reason, String fragment) {
        assertRejected(format, utf8(value), HeaderLookup.NONE, reason, fragment);
    }
}
