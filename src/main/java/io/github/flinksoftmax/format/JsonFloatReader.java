package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;

import java.io.IOException;
import java.util.Arrays;

/**
 * Streams JSON arrays of numbers into one reusable float buffer, for both JSON formats. Numbers
 * are parsed from the parser's own character buffer straight to float (no String, no boxing, no
 * double rounding on the way); the buffer doubles when full, capped at {@code maxLength}, so an
 * oversized record is rejected as {@link Reason#TOO_LONG} before it is held. Numbers beyond the
 * float range become infinities and the tokens {@code NaN}, {@code Infinity}, {@code -Infinity}
 * their values: judging them is the validator's job. Not thread-safe; one per format instance.
 */
final class JsonFloatReader {

    private final int maxLength;
    private float[] buffer;
    private int size;
    private String where;

    JsonFloatReader(int maxLength) {
        this.maxLength = maxLength;
        this.buffer = new float[Math.min(1024, maxLength)];
    }

    /** Starts a new record. */
    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The values read since {@link #clear()}, in an array of their own. */
    float[] toArray() {
        return Arrays.copyOf(buffer, size);
    }

    /**
     * Appends what {@code fast} read, as if this reader had read the same array; its size is
     * within the limit already.
     *
     * @return {@code shape}
     */
    int[] load(Utf8ArrayReader fast, int[] shape) {
        int n = fast.size();
        if (buffer.length < size + n) {
            buffer = Arrays.copyOf(buffer, size + n);
        }
        System.arraycopy(fast.values(), 0, buffer, size, n);
        size += n;
        return shape;
    }

    /**
     * Reads {@code [x, ..]} or {@code [[x, ..], ..]} starting at the current {@code START_ARRAY}.
     *
     * @param where names the array in messages, such as {@code /logits}
     * @return the shape, {@code [K]} or {@code [N, K]}
     */
    int[] readVectorOrRows(JsonParser parser, String where) throws IOException, BadRecordException {
        this.where = where;
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_ARRAY) {
            return new int[] {readNumbers(parser, first, -1)};
        }
        int rows = 0;
        int cols = -1;
        for (JsonToken t = first; t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.START_ARRAY) {
                throw JsonSupport.wrongType(where + "[" + rows + "]", t, "an array (a row, like the rows before it)");
            }
            int n = readNumbers(parser, parser.nextToken(), rows);
            if (cols >= 0 && n != cols) {
                throw new BadRecordException(Reason.SHAPE_MISMATCH,
                        where + "[" + rows + "] has " + n + " values; expected " + cols + " like row 0");
            }
            cols = n;
            rows++;
        }
        return new int[] {rows, cols};
    }

    /**
     * Reads arrays nested to any depth starting at the current {@code START_ARRAY}, flattening
     * them in order, as tensor data in row-major order. The nesting is not checked against a
     * shape: the caller compares the count with the shape's product.
     */
    void readNested(JsonParser parser, String where) throws IOException, BadRecordException {
        this.where = where;
        int start = size;
        int depth = 1;
        while (depth > 0) {
            JsonToken t = parser.nextToken();
            if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                add(number(parser));
            } else if (t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_ARRAY) {
                depth--;
            } else {
                throw JsonSupport.wrongType(where + " element " + (size - start), t, "a number");
            }
        }
    }

    /** Reads numbers from {@code first} up to the closing bracket; returns how many. */
    private int readNumbers(JsonParser parser, JsonToken first, int row) throws IOException, BadRecordException {
        int start = size;
        for (JsonToken t = first; t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                String at = (row < 0 ? "" : "[" + row + "]") + "[" + (size - start) + "]";
                throw JsonSupport.wrongType(where + at, t, "a number");
            }
            add(number(parser));
        }
        return size - start;
    }

    private static float number(JsonParser parser) throws IOException {
        if (parser.isNaN()) { // the NaN and Infinity tokens, rare: let Jackson map them
            return parser.getFloatValue();
        }
        return NumberInput.parseFloat(
                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), true);
    }

    private void add(float value) throws BadRecordException {
        if (size == buffer.length) {
            if (size >= maxLength) {
                throw Shapes.tooLong(where, -1, maxLength);
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min(maxLength, 2L * buffer.length));
        }
        buffer[size++] = value;
    }
}
