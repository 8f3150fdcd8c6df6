package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;

/**
 * Lets Jackson read a record whose numeric array was already read by {@link Utf8ArrayReader}
 * without reading the numbers again: a copy of the record with that array replaced by
 * {@code []}, in a reused buffer. The format reads the copy with its usual Jackson code, which
 * asks {@link #takes} at the array it wants; the fast result stands only if the placeholder was
 * taken there, so an array found in the wrong place can never change a result. Any error on the
 * copy sends the original record down the Jackson path, whose messages carry the original's
 * positions. Not thread-safe.
 */
final class Placeholder {

    private byte[] copy = new byte[256];
    private int length;
    private long at = -1;
    private boolean taken;

    /** Copies {@code value} with {@code value[start, end)} replaced by {@code []}; see {@link #copy()}. */
    void replace(byte[] value, int start, int end) {
        length = value.length - (end - start) + 2;
        if (copy.length < length) {
            copy = new byte[Math.max(length, 2 * copy.length)];
        }
        System.arraycopy(value, 0, copy, 0, start);
        copy[start] = '[';
        copy[start + 1] = ']';
        System.arraycopy(value, end, copy, start + 2, value.length - end);
        at = start;
        taken = false;
    }

    /** The copy made by {@link #replace}, valid in {@code [0, length())}. */
    byte[] copy() {
        return copy;
    }

    int length() {
        return length;
    }

    /**
     * At a {@code START_ARRAY}: whether it is the placeholder; if so, consumes it (the parser is
     * then at its {@code END_ARRAY}) and records that it was taken.
     */
    boolean takes(JsonParser parser) throws IOException {
        if (at < 0 || parser.currentTokenLocation().getByteOffset() != at) {
            return false;
        }
        parser.nextToken();
        taken = true;
        at = -1; // taken once only
        return true;
    }

    /** Whether the placeholder was taken since {@link #replace}. */
    boolean taken() {
        return taken;
    }

    /** Ends the fast attempt; {@link #takes} answers false until the next {@link #replace}. */
    void clear() {
        at = -1;
        taken = false;
    }
}
