package io.github.flinksoftmax.format;

import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.postprocess.RowSummary;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The {@code float32le} format: raw little-endian IEEE-754 float32 values (numpy {@code '<f4'}),
 * 4 bytes per logit, no framing; a quarter of JSON's size, so the one for large vocabularies. The
 * row length K comes from {@code float32leClasses} when set (the value is then N rows of K, shape
 * [N, K]; a {@code shape} header is ignored), else from a {@code shape} header ({@code 1000},
 * {@code 4,1000} or {@code [4, 1000]}; its product must equal the value's float count), else the
 * whole value is one vector (shape [n]). The output value has the same layout, the activation's
 * values (probabilities, log-probabilities or scores) in place of logits, with a {@code shape}
 * header when the input came in another format (see {@link Envelope}); extras go to headers,
 * ASCII text unless labels are not (then UTF-8): {@code softmax.top-k} (rows separated by
 * {@code ;}, entries by {@code ,}, each {@code value:index:label} or {@code value:index}),
 * {@code softmax.argmax}, {@code softmax.entropy}, {@code softmax.margin} (one value per row,
 * separated by {@code ;}), {@code softmax.above-threshold} (rows separated by {@code ;}, the
 * indices of each by {@code ,}; empty for a row with none above).
 */
public final class Float32LeFormat implements LogitsFormat {

    /**
     * The input header that may give the shape; also written to output records whose input came
     * in another format (see {@link Envelope}).
     */
    public static final String SHAPE_HEADER = "shape";

    public static final String TOP_K_HEADER = "softmax.top-k";
    public static final String ARGMAX_HEADER = "softmax.argmax";
    public static final String ENTROPY_HEADER = "softmax.entropy";
    public static final String MARGIN_HEADER = "softmax.margin";
    public static final String ABOVE_THRESHOLD_HEADER = "softmax.above-threshold";

    /**
     * The envelope of a record read in another format. A float32le value does not say its own
     * shape, and a record from another format brings no {@code shape} header of its own, so its
     * output announces one: without it a consumer could not tell {@code [N, K]} from {@code [N * K]}.
     * Records read as float32le have no envelope and keep the input's headers as they were.
     */
    enum Envelope {
        ANNOUNCE_SHAPE
    }

    private final int maxLength;
    private final int classes;
    private final ClassificationText text = new ClassificationText();
    private final StringBuilder header = new StringBuilder();
    private final Decoding.Body body = this::read;

    public Float32LeFormat(FormatSettings settings) {
        this.maxLength = settings.maxLength();
        this.classes = settings.float32leClasses();
    }

    @Override
    public Logits decode(byte[] value, HeaderLookup headers) throws BadRecordException {
        return Decoding.guard(value, headers, body);
    }

    private Logits read(byte[] value, HeaderLookup headers) throws BadRecordException {
        if (value.length % 4 != 0) {
            throw new BadRecordException(Reason.BAD_LENGTH,
                    "the value has " + value.length + " bytes; expected a multiple of 4 (float32)");
        }
        int count = value.length / 4;
        if (count > maxLength) { // decided from the length alone, before allocating
            throw Shapes.tooLong("the value", count, maxLength);
        }
        int[] shape = shape(count, headers);
        float[] values = new float[count];
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return Shapes.logits(values, shape, null, "the value");
    }

    private int[] shape(int count, HeaderLookup headers) throws BadRecordException {
        if (classes > 0) {
            if (count % classes != 0) {
                throw new BadRecordException(Reason.SHAPE_MISMATCH, "the value holds " + count
                        + " floats; expected a multiple of " + classes + " (float32le.classes)");
            }
            return new int[] {count / classes, classes};
        }
        byte[] declared = headers.lastValue(SHAPE_HEADER);
        if (declared == null) {
            return new int[] {count};
        }
        int[] shape = parseShape(declared);
        if (Shapes.product(shape) != count) {
            throw new BadRecordException(Reason.SHAPE_MISMATCH, "the shape header " + Arrays.toString(shape)
                    + " holds " + Shapes.product(shape) + " elements; the value has " + count + " floats");
        }
        return shape;
    }

    /** Parses {@code 1000}, {@code 4,1000} or {@code [4, 1000]}: ASCII digits, commas, blanks, optional brackets. */
    static int[] parseShape(byte[] header) throws BadRecordException {
        String s = new String(header, StandardCharsets.ISO_8859_1).strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        String[] parts = s.split(",", -1);
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty() || part.length() > 10 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Long.parseLong(part) > Integer.MAX_VALUE) {
                throw new BadRecordException(Reason.SHAPE_MISMATCH, "the shape header is '" + printable(header)
                        + "'; expected dimensions like 1000, 4,1000 or [4, 1000]");
            }
            shape[i] = Integer.parseInt(part);
        }
        return shape;
    }

    private static String printable(byte[] header) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < header.length && i < 64; i++) {
            int c = header[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", c));
        }
        return header.length > 64 ? sb.append("...").toString() : sb.toString();
    }

    @Override
    public byte[] encode(Logits input, Distribution output, BiConsumer<String, byte[]> extraHeaders) {
        int n = output.rows() * output.cols();
        byte[] bytes = new byte[n * 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(output.values(), 0, n);
        if (input.envelope() == Envelope.ANNOUNCE_SHAPE) {
            writeShape(input.shape(), extraHeaders);
        }
        writeExtras(output, extraHeaders);
        return bytes;
    }

    /** The shape as {@link #parseShape} reads it back: {@code 1000} or {@code 4,1000}. */
    private void writeShape(int[] shape, BiConsumer<String, byte[]> extraHeaders) {
        header.setLength(0);
        for (int i = 0; i < shape.length; i++) {
            header.append(i == 0 ? "" : ",").append(shape[i]);
        }
        emit(SHAPE_HEADER, extraHeaders);
    }

    private void writeExtras(Distribution output, BiConsumer<String, byte[]> extraHeaders) {
        RowSummary[] rows = output.summaries();
        if (rows.length == 0) {
            return;
        }
        Extras x = output.extras();
        Labels labels = x.labels();
        if (x.topK() > 0) {
            header.setLength(0);
            for (int r = 0; r < rows.length; r++) {
                header.append(r == 0 ? "" : ";");
                for (int i = 0; i < rows[r].topIndices().length; i++) {
                    header.append(i == 0 ? "" : ",");
                    text.appendTopK(header, rows[r], i, labels);
                }
            }
            emit(TOP_K_HEADER, extraHeaders);
        }
        if (x.argmax()) {
            header.setLength(0);
            for (int r = 0; r < rows.length; r++) {
                header.append(r == 0 ? "" : ";").append(rows[r].argmax());
            }
            emit(ARGMAX_HEADER, extraHeaders);
        }
        if (x.entropy()) {
            header.setLength(0);
            for (int r = 0; r < rows.length; r++) {
                header.append(r == 0 ? "" : ";");
                text.appendFloat(header, rows[r].entropy());
            }
            emit(ENTROPY_HEADER, extraHeaders);
        }
        if (x.margin()) {
            header.setLength(0);
            for (int r = 0; r < rows.length; r++) {
                header.append(r == 0 ? "" : ";");
                text.appendFloat(header, rows[r].margin());
            }
            emit(MARGIN_HEADER, extraHeaders);
        }
        if (x.thresholds().isSet()) {
            header.setLength(0);
            for (int r = 0; r < rows.length; r++) {
                header.append(r == 0 ? "" : ";");
                int[] above = rows[r].aboveThreshold();
                for (int i = 0; i < above.length; i++) {
                    header.append(i == 0 ? "" : ",").append(above[i]);
                }
            }
            emit(ABOVE_THRESHOLD_HEADER, extraHeaders);
        }
    }

    private void emit(String key, BiConsumer<String, byte[]> extraHeaders) {
        extraHeaders.accept(key, header.toString().getBytes(StandardCharsets.UTF_8));
    }
}
