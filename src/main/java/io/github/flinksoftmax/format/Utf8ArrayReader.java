package io.github.flinksoftmax.format;

import java.util.Arrays;

/**
 * Reads JSON arrays of numbers straight from UTF-8 bytes into one reusable float buffer: the
 * fast decoding path's counterpart of {@link JsonFloatReader}, with the same results for the
 * arrays it accepts. It accepts only well-formed, non-empty arrays of plain numbers within
 * {@code maxLength} (and, for rows, of equal length); anything else it declines, returning
 * {@code null} or false, and the caller leaves the record to the Jackson path, which names the
 * error exactly as before. Nothing is allocated per number. Not thread-safe.
 */
final class Utf8ArrayReader {

    /** Deeper tensor data is left to the Jackson path. */
    private static final int MAX_DEPTH = 32;

    private final int maxLength;
    private final Utf8FloatParser number = new Utf8FloatParser();
    private float[] values;
    private int size;
    private int end;
    private int[] shape;

    Utf8ArrayReader(int maxLength) {
        this.maxLength = maxLength;
        this.values = new float[Math.min(1024, maxLength)];
    }

    /** The values of the last successful read, in {@code values()[0, size())}. */
    float[] values() {
        return values;
    }

    int size() {
        return size;
    }

    /** The shape returned by the last successful {@link #readVectorOrRows}. */
    int[] shape() {
        return shape;
    }

    /** The index after the closing bracket of the last successful read. */
    int end() {
        return end;
    }

    /**
     * Reads {@code [x, ..]} or {@code [[x, ..], ..]} at {@code b[pos] == '['}, as
     * {@link JsonFloatReader#readVectorOrRows} does.
     *
     * @return the shape {@code [K]} or {@code [N, K]}, or null to decline
     */
    int[] readVectorOrRows(byte[] b, int pos, int limit) {
        size = 0;
        int i = Utf8Json.skipWhitespace(b, pos + 1, limit);
        if (i >= limit) {
            return null;
        }
        if (b[i] != '[') {
            int n = numbers(b, pos, limit);
            shape = n > 0 ? new int[] {n} : null;
            return shape;
        }
        int rows = 0;
        int cols = -1;
        while (true) {
            int n = numbers(b, i, limit);
            if (n <= 0 || cols >= 0 && n != cols) {
                return null;
            }
            cols = n;
            rows++;
            i = Utf8Json.skipWhitespace(b, end, limit);
            if (i >= limit) {
                return null;
            }
            if (b[i] == ']') {
                end = i + 1;
                shape = new int[] {rows, cols};
                return shape;
            }
            if (b[i] != ',') {
                return null;
            }
            i = Utf8Json.skipWhitespace(b, i + 1, limit);
            if (i >= limit || b[i] != '[') {
                return null;
            }
        }
    }

    /**
     * Reads arrays nested to any depth (up to 32) at {@code b[pos] == '['}, flattened in order,
     * as {@link JsonFloatReader#readNested} does; declines empty arrays.
     */
    boolean readNested(byte[] b, int pos, int limit) {
        size = 0;
        int i = pos;
        int depth = 0;
        while (true) {
            while (b[i] == '[') {
                if (++depth > MAX_DEPTH) {
                    return false;
                }
                i = Utf8Json.skipWhitespace(b, i + 1, limit);
                if (i >= limit) {
                    return false;
                }
            }
            i = number(b, i, limit);
            if (i < 0) {
                return false;
            }
            i = Utf8Json.skipWhitespace(b, i, limit);
            while (i < limit && b[i] == ']') {
                if (--depth == 0) {
                    end = i + 1;
                    return true;
                }
                i = Utf8Json.skipWhitespace(b, i + 1, limit);
            }
            if (i >= limit || b[i] != ',') {
                return false;
            }
            i = Utf8Json.skipWhitespace(b, i + 1, limit);
            if (i >= limit) {
                return false;
            }
        }
    }

    /** Reads {@code [x, ..]} at {@code b[pos] == '['}; returns how many, or -1 to decline (0 never). */
    private int numbers(byte[] b, int pos, int limit) {
        int start = size;
        int i = Utf8Json.skipWhitespace(b, pos + 1, limit);
        while (true) {
            i = number(b, i, limit);
            if (i < 0) {
                return -1;
            }
            i = Utf8Json.skipWhitespace(b, i, limit);
            if (i >= limit) {
                return -1;
            }
            byte c = b[i];
            if (c == ',') { // the common case first
                i = Utf8Json.skipWhitespace(b, i + 1, limit);
            } else if (c == ']') {
                end = i + 1;
                return size - start;
            } else {
                return -1;
            }
        }
    }

    /** Reads one number at {@code b[i]} into the buffer; returns the index after it, or -1. */
    private int number(byte[] b, int i, int limit) {
        int next = number.parse(b, i, limit);
        if (next < 0) {
            return -1;
        }
        if (size == values.length) {
            if (size >= maxLength) {
                return -1; // too long: the Jackson path says so in its words
            }
            values = Arrays.copyOf(values, (int) Math.min(maxLength, 2L * values.length));
        }
        values[size++] = number.value();
        return next;
    }
}
