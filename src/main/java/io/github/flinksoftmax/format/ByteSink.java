package io.github.flinksoftmax.format;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that encoders write into both through Jackson (as its output stream)
 * and directly (numbers, through {@link #reserve}), reused record after record so the only
 * allocation per record is the final copy. Unlike {@code ByteArrayOutputStream} its methods are
 * not synchronized and its buffer is open to the encoder. Not thread-safe.
 */
final class ByteSink extends OutputStream {

    private byte[] buffer;
    private int size;

    ByteSink(int capacity) {
        this.buffer = new byte[capacity];
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** Sets the size after bytes were written directly into the buffer up to {@code newSize}. */
    void size(int newSize) {
        size = newSize;
    }

    /** Makes room for {@code n} more bytes after {@link #size()}; returns the buffer to write them into. */
    byte[] reserve(int n) {
        if (buffer.length - size < n) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * buffer.length, (long) size + n)));
        }
        return buffer;
    }

    @Override
    public void write(int b) {
        reserve(1)[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        System.arraycopy(b, off, reserve(len), size, len);
        size += len;
    }

    /** The bytes written since {@link #reset()}, in an array of their own. */
    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }
}
