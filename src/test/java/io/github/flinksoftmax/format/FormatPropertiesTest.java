package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.Map;

import static io.github.flinksoftmax.format.Fixtures.distribution;
import static io.github.flinksoftmax.format.Fixtures.headers;
import static io.github.flinksoftmax.format.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must hold for every input: decoders fail only as bad records, and every float written reads
 * back to the same bits. (Properties live here, apart from the example tests, because surefire
 * miscounts a class that two test engines report on.)
 */
class FormatPropertiesTest {

    private static final Extras SOME_EXTRAS = new Extras(2, true, true, true, new Labels(List.of("a", "b:c")));

    private static final List<String> TOKENS = List.of("[", "]", "[", "]", "{", "}", ",", ",", ":", " ", "0", "1",
            "-2.5e3", "1e999", "NaN", "-Infinity", "Infinity", "null", "true", "\"x\"", "\"logits\"", "\"outputs\"",
            "\"name\"", "\"datatype\"", "\"FP32\"", "\"INT8\"", "\"shape\"", "\"data\"", "[2]", "[1, 2]",
            "\"model_name\"", "\"parameters\"", "\"\\u00", "\u00e9", "\u0000", "1.", "-", "e5");

    private static List<LogitsFormat> allFormats() {
        return List.of(new JsonFormat(FormatSettings.DEFAULTS), new OipV2Format(FormatSettings.DEFAULTS),
                new Float32LeFormat(FormatSettings.DEFAULTS), new Float32LeFormat(FormatSettings.DEFAULTS.withFloat32leClasses(3)));
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(40).map(tokens -> String.join("", tokens));
    }

    @Property(tries = 500)
    void arbitraryBytesFailOnlyAsBadRecords(@ForAll @Size(max = 64) byte[] value, @ForAll String shapeHeader) {
        for (LogitsFormat format : allFormats()) {
            decodeOrBadRecord(format, value, headers(Map.of("shape", shapeHeader)));
        }
    }

    @Property(tries = 1000)
    void jsonLikeTextFailsOnlyAsBadRecords(@ForAll("jsonish") String value) {
        for (LogitsFormat format : allFormats()) {
            decodeOrBadRecord(format, utf8(value), HeaderLookup.NONE);
        }
    }

    private static void decodeOrBadRecord(LogitsFormat format, byte[] value, HeaderLookup headers) {
        try {
            Logits logits = format.decode(value, headers);
            assertThat(logits.values()).hasSize(logits.rows() * logits.cols()).isNotEmpty();
        } catch (BadRecordException expected) {
            assertThat(expected.reason()).isNotNull();
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<float[]> anyFloats() {
        // every bit pattern, not just "nice" floats: subnormals, NaNs, infinities, -0.0
        return Arbitraries.integers().array(int[].class).ofMinSize(1).ofMaxSize(60).map(bits -> {
            float[] f = new float[bits.length];
            for (int i = 0; i < bits.length; i++) {
                f[i] = Float.intBitsToFloat(bits[i]);
            }
            return f;
        });
    }

    @Property(tries = 300)
    void jsonReadsBackEveryFloat(@ForAll("anyFloats") float[] values, @ForAll @IntRange(min = 1, max = 3) int rows,
            @ForAll boolean log) throws Exception {
        Distribution d = block(values, rows, log);
        JsonFormat format = new JsonFormat(FormatSettings.DEFAULTS);
        byte[] out = format.encode(logitsShaped(d), d, (k, v) -> {});
        String field = log ? "/log_probabilities" : "/probabilities";
        Logits back = new JsonFormat(FormatSettings.DEFAULTS.withLogitsPointer(field)).decode(out, HeaderLookup.NONE);
        assertSameFloats(back.values(), d.values(), false);
        assertThat(back.shape()).containsExactly(logitsShaped(d).shape());
    }

    @Property(tries = 300)
    void oipReadsBackEveryFloat(@ForAll("anyFloats") float[] values, @ForAll @IntRange(min = 1, max = 3) int rows)
            throws Exception {
        Distribution d = block(values, rows, false);
        byte[] out = new OipV2Format(FormatSettings.DEFAULTS).encode(logitsShaped(d), d, (k, v) -> {});
        Logits back = new OipV2Format(FormatSettings.DEFAULTS.withOipInputTensor("probabilities"))
                .decode(out, HeaderLookup.NONE);
        assertSameFloats(back.values(), d.values(), false);
        assertThat(back.shape()).containsExactly(logitsShaped(d).shape());
    }

    @Property(tries = 300)
    void float32leReadsBackEveryBit(@ForAll("anyFloats") float[] values, @ForAll @IntRange(min = 1, max = 3) int rows)
            throws Exception {
        Distribution d = block(values, rows, false);
        Float32LeFormat format = new Float32LeFormat(FormatSettings.DEFAULTS.withFloat32leClasses(d.cols()));
        byte[] out = format.encode(logitsShaped(d), d, (k, v) -> {});
        assertSameFloats(format.decode(out, HeaderLookup.NONE).values(), d.values(), true);
    }

    @Property(tries = 20_000)
    void floatTextReadsBackExactlyAndIsNoLongerThanSchubfach(@ForAll int bits) {
        float f = Float.intBitsToFloat(bits);
        char[] buf = new char[FloatDigits.MAX_LENGTH];
        String s = new String(buf, 0, new FloatDigits().write(f, buf, 0));
        float back = Float.parseFloat(s);
        if (Float.isNaN(f)) {
            assertThat(back).isNaN();
            return;
        }
        assertThat(Float.floatToRawIntBits(back)).as(s).isEqualTo(bits);
        assertThat(significantDigits(s)).as(s).isLessThanOrEqualTo(significantDigits(NumberOutput.toString(f, true)));
    }

    private static int significantDigits(String s) {
        String mantissa = s.split("E")[0].replace("-", "").replace(".", "");
        return mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "").length();
    }

    /** The first {@code rows * cols} values as a block, summarised by the real Summarizer. */
    private static Distribution block(float[] values, int rows, boolean log) {
        int cols = Math.max(1, values.length / rows);
        int used = Math.min(values.length, rows * cols);
        float[] v = java.util.Arrays.copyOf(values, used);
        return distribution(v, used / cols, cols, log, SOME_EXTRAS);
    }

    private static Logits logitsShaped(Distribution d) {
        int[] shape = d.rows() == 1 ? new int[] {d.cols()} : new int[] {d.rows(), d.cols()};
        return new Logits(d.values().clone(), d.rows(), d.cols(), shape, null);
    }

    private static void assertSameFloats(float[] actual, float[] expected, boolean rawBits) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            // text has a single NaN, so JSON compares NaNs canonically; raw bytes keep payloads
            int want = rawBits ? Float.floatToRawIntBits(expected[i]) : Float.floatToIntBits(expected[i]);
            int got = rawBits ? Float.floatToRawIntBits(actual[i]) : Float.floatToIntBits(actual[i]);
            assertThat(got).as("element %d: %s", i, expected[i]).isEqualTo(want);
        }
    }
}
