package io.github.flinksoftmax.format;

import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.flinksoftmax.format.Fixtures.ALL_EXTRAS_LABELLED;
import static io.github.flinksoftmax.format.Fixtures.assertRejected;
import static io.github.flinksoftmax.format.Fixtures.distribution;
import static io.github.flinksoftmax.format.Fixtures.float32le;
import static io.github.flinksoftmax.format.Fixtures.headers;
import static io.github.flinksoftmax.format.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

class Float32LeFormatTest {

    private final Float32LeFormat whole = new Float32LeFormat(FormatSettings.DEFAULTS);
    private final Float32LeFormat twoClasses = new Float32LeFormat(FormatSettings.DEFAULTS.withFloat32leClasses(2));

    @Test
    void readsLittleEndianFloatsBitForBit() throws Exception {
        byte[] value = {0, 0, (byte) 0x80, 0x3f, 0, 0, (byte) 0x80, (byte) 0xff}; // 1.0f, -Infinity
        Logits logits = whole.decode(value, HeaderLookup.NONE);
        assertThat(logits.values()).containsExactly(1f, Float.NEGATIVE_INFINITY);
        assertThat(logits.shape()).containsExactly(2);
        assertThat(logits.rows()).isEqualTo(1);
    }

    @Test
    void takesKFromTheSettingsBeforeAnyHeader() throws Exception {
        Logits logits = twoClasses.decode(float32le(1, 2, 3, 4, 5, 6), headers(Map.of("shape", "6")));
        assertThat(logits.shape()).containsExactly(3, 2);
        assertThat(logits.rows()).isEqualTo(3);
        assertThat(logits.cols()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2,3", " [2, 3] ", "[2,3]", "2, 3"})
    void takesTheShapeFromTheHeader(String shape) throws Exception {
        Logits logits = whole.decode(float32le(1, 2, 3, 4, 5, 6), headers(Map.of("shape", shape)));
        assertThat(logits.shape()).containsExactly(2, 3);
        assertThat(logits.rows()).isEqualTo(2);
        assertThat(logits.cols()).isEqualTo(3);
    }

    @Test
    void writesTheSameLayout() throws Exception {
        Logits input = twoClasses.decode(float32le(1, 2, 2, 1), HeaderLookup.NONE);
        byte[] out = twoClasses.encode(input,
                distribution(new float[] {0.25f, 0.75f, 0.75f, 0.25f}, 2, 2, false, Extras.NONE), (k, v) -> {
                    throw new AssertionError("no extras, no headers");
                });
        assertThat(out).isEqualTo(float32le(0.25f, 0.75f, 0.75f, 0.25f));
    }

    @Test
    void writesExtrasToHeadersWithLabels() throws Exception {
        Logits input = twoClasses.decode(float32le(1, 2, 2, 1), HeaderLookup.NONE);
        Map<String, String> added = new LinkedHashMap<>();
        twoClasses.encode(input, distribution(new float[] {0.25f, 0.75f, 0.75f, 0.25f}, 2, 2, false, ALL_EXTRAS_LABELLED),
                (k, v) -> added.put(k, text(v)));
        assertThat(added).containsExactly(
                Map.entry("softmax.top-k", "0.75:1:dog,0.25:0:cat;0.75:0:cat,0.25:1:dog"),
                Map.entry("softmax.argmax", "1;0"),
                Map.entry("softmax.entropy", "0.56233513;0.56233513"),
                Map.entry("softmax.margin", "0.5;0.5"));
    }

    @Test
    void writesTopKWithoutLabelsForUnnamedClasses() throws Exception {
        Logits input = whole.decode(float32le(1, 2, 3), HeaderLookup.NONE);
        Map<String, String> added = new LinkedHashMap<>();
        Extras extras = new Extras(3, false, false, false, new Labels(List.of("a")));
        whole.encode(input, distribution(new float[] {0.5f, 0.25f, 0.25f}, 1, 3, false, extras),
                (k, v) -> added.put(k, text(v)));
        assertThat(added).containsExactly(Map.entry("softmax.top-k", "0.5:0:a,0.25:1,0.25:2"));
    }

    @Test
    void rejectsBadInput() {
        assertRejected(whole, null, HeaderLookup.NONE, Reason.EMPTY_RECORD, "tombstone");
        assertRejected(whole, new byte[0], HeaderLookup.NONE, Reason.EMPTY_VECTOR, "shape [0]");
        assertRejected(whole, new byte[7], HeaderLookup.NONE, Reason.BAD_LENGTH,
                "the value has 7 bytes; expected a multiple of 4");
        assertRejected(twoClasses, float32le(1, 2, 3), HeaderLookup.NONE, Reason.SHAPE_MISMATCH,
                "the value holds 3 floats; expected a multiple of 2 (float32le.classes)");
        assertRejected(whole, float32le(1, 2, 3), headers(Map.of("shape", "2,2")), Reason.SHAPE_MISMATCH,
                "the shape header [2, 2] holds 4 elements; the value has 3 floats");
        assertRejected(whole, float32le(1, 2, 3), headers(Map.of("shape", "3 floats")), Reason.SHAPE_MISMATCH,
                "the shape header is '3 floats'; expected dimensions like 1000, 4,1000 or [4, 1000]");
        assertRejected(whole, float32le(1), headers(Map.of("shape", "99999999999")), Reason.SHAPE_MISMATCH,
                "the shape header is '99999999999'");
        assertRejected(whole, float32le(1), headers(Map.of("shape", "-1")), Reason.SHAPE_MISMATCH, "'-1'");
        assertRejected(whole, float32le(1), headers(Map.of("shape", "[]")), Reason.SHAPE_MISMATCH, "'[]'");
    }

    @Test
    void rejectsAnOversizeValueFromItsLengthAlone() {
        Float32LeFormat small = new Float32LeFormat(FormatSettings.DEFAULTS.withMaxLength(2));
        assertRejected(small, new byte[12], HeaderLookup.NONE, Reason.TOO_LONG,
                "the value holds 3 logits; the limit (softmax.max-length) is 2");
    }
}
