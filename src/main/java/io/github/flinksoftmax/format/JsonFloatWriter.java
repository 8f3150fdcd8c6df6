package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * Writes floats as {@link FloatDigits} text, for both JSON formats: the shortest decimal that
 * reads back to the same bits, and {@code NaN}, {@code Infinity}, {@code -Infinity} as bare
 * tokens (Python's {@code json.loads} reads them; a masked entry's log-probability is
 * {@code -Infinity}). Single values go through the {@link JsonGenerator} as raw values from a
 * reused char buffer. Arrays, the bulk of every record, bypass it: the generator writes the
 * separator before the value and hands over its buffer, then the digits go straight into the
 * {@link ByteSink} it writes to, with the separators Jackson would write; nothing is allocated
 * per number. Not thread-safe.
 */
final class JsonFloatWriter {

    private static final char[] NOTHING = new char[0];
    /** The most one number needs, with its separator. */
    private static final int ROOM = FloatDigits.MAX_LENGTH + 1;

    private final FloatDigits digits = new FloatDigits();
    private final char[] text = new char[FloatDigits.MAX_LENGTH];

    void write(JsonGenerator generator, float value) throws IOException {
        generator.writeRawValue(text, 0, digits.write(value, text, 0));
    }

    /** Writes {@code values[off, off + len)} as one array, the generator's next value; {@code out} is its output. */
    void writeArray(JsonGenerator generator, ByteSink out, float[] values, int off, int len) throws IOException {
        handOver(generator);
        append(out, values, off, len);
    }

    /** Writes a {@code [rows, cols]} block as an array of row arrays, or flat when {@code nested} is false. */
    void writeBlock(JsonGenerator generator, ByteSink out, float[] values, int rows, int cols, boolean nested)
            throws IOException {
        handOver(generator);
        if (!nested) {
            append(out, values, 0, rows * cols);
            return;
        }
        out.write('[');
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                out.write(',');
            }
            append(out, values, r * cols, cols);
        }
        out.write(']');
    }

    /**
     * An empty raw value makes the generator write what precedes a value (a colon, a comma) and
     * count one; flushing then puts everything it holds into the sink, where the array follows.
     */
    private static void handOver(JsonGenerator generator) throws IOException {
        generator.writeRawValue(NOTHING, 0, 0);
        generator.flush();
    }

    private void append(ByteSink out, float[] values, int off, int len) {
        byte[] b = out.reserve(2 + ROOM);
        int p = out.size();
        b[p++] = '[';
        for (int i = off, end = off + len; i < end; i++) {
            if (b.length - p < ROOM + 1) { // room for this number and the closing bracket
                out.size(p);
                b = out.reserve(ROOM * Math.min(end - i, 4096) + 1);
            }
            if (i > off) {
                b[p++] = ',';
            }
            p = digits.write(values[i], b, p);
        }
        b[p++] = ']';
        out.size(p);
    }
}
