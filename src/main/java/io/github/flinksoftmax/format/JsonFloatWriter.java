package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * Writes floats through a {@link JsonGenerator} as {@link FloatDigits} text, for both JSON
 * formats: the shortest decimal that reads back to the same bits, and {@code NaN},
 * {@code Infinity}, {@code -Infinity} as bare tokens (Python's {@code json.loads} reads them; a
 * masked entry's log-probability is {@code -Infinity}). The digits go in as a raw value from a
 * reused char buffer, so nothing is allocated per number. Not thread-safe.
 */
final class JsonFloatWriter {

    private final FloatDigits digits = new FloatDigits();
    private final char[] text = new char[FloatDigits.MAX_LENGTH];

    void write(JsonGenerator generator, float value) throws IOException {
        generator.writeRawValue(text, 0, digits.write(value, text, 0));
    }

    /** Writes {@code values[off, off + len)} as one array. */
    void writeArray(JsonGenerator generator, float[] values, int off, int len) throws IOException {
        generator.writeStartArray(values, len);
        for (int i = off, end = off + len; i < end; i++) {
            generator.writeRawValue(text, 0, digits.write(values[i], text, 0));
        }
        generator.writeEndArray();
    }

    /** Writes a {@code [rows, cols]} block as an array of row arrays, or flat when {@code nested} is false. */
    void writeBlock(JsonGenerator generator, float[] values, int rows, int cols, boolean nested) throws IOException {
        if (!nested) {
            writeArray(generator, values, 0, rows * cols);
            return;
        }
        generator.writeStartArray(values, rows);
        for (int r = 0; r < rows; r++) {
            writeArray(generator, values, r * cols, cols);
        }
        generator.writeEndArray();
    }
}
