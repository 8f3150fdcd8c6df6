package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.io.NumberInput;

/**
 * {@link Utf8FloatParser} as it was before it read eight digits at a time: one byte per step,
 * the digit count checked per digit. The oracle of {@link Utf8FloatParserTest}, which requires
 * the same verdict (where the number ends, or declined) and the same float bits for any input.
 */
final class BytewiseFloatParser {

    /** Longer numbers are left to Jackson, which rejects those beyond its limit. */
    static final int MAX_FAST_LENGTH = 100;

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    private static final long TWO_53 = 1L << 53;
    // a double whose low 29 significand bits are 1000..0 is halfway between two floats
    private static final long MIDPOINT_MASK = (1L << 29) - 1;
    private static final long MIDPOINT = 1L << 28;
    private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};
    private static final byte[] NAN = {'N', 'a', 'N'};

    private final char[] text = new char[MAX_FAST_LENGTH];
    private float value;

    /** The number read by the last successful {@link #parse}. */
    float value() {
        return value;
    }

    /**
     * Reads the number starting at {@code b[pos]}.
     *
     * @return the index after it, or -1 when this is not a number Jackson accepts here, or one
     *     longer than {@link #MAX_FAST_LENGTH}; then {@link #value()} is undefined
     */
    int parse(byte[] b, int pos, int end) {
        int i = pos;
        boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end) {
            return -1;
        }
        int c = b[i];
        if (c == 'I') {
            value = negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            return word(b, i, end, INFINITY);
        }
        if (c == 'N' && !negative) {
            value = Float.NaN;
            return word(b, i, end, NAN);
        }
        long w = 0;
        boolean manyDigits = false;
        if (c == '0') {
            i++;
            if (i < end && isDigit(b[i])) {
                return -1; // a leading zero: Jackson's error
            }
        } else if (c >= '1' && c <= '9') {
            for (; i < end && isDigit(b[i]); i++) {
                if (w < 100_000_000_000_000_000L) {
                    w = 10 * w + (b[i] - '0');
                } else {
                    manyDigits = true;
                }
            }
            if (manyDigits) {
                return slow(b, pos, end);
            }
        } else {
            return -1;
        }
        int scale = 0;
        if (i < end && b[i] == '.') {
            i++;
            int first = i;
            for (; i < end && isDigit(b[i]); i++) {
                if (w < 100_000_000_000_000_000L) {
                    w = 10 * w + (b[i] - '0');
                    scale--;
                } else {
                    manyDigits = true;
                }
            }
            if (i == first) {
                return -1;
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = i < end && b[i] == '-';
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int first = i;
            int exponent = 0;
            for (; i < end && isDigit(b[i]); i++) {
                exponent = exponent < 10_000 ? 10 * exponent + (b[i] - '0') : exponent; // beyond any float
            }
            if (i == first) {
                return -1;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (manyDigits || i - pos > MAX_FAST_LENGTH) {
            return slow(b, pos, end);
        }
        if (w == 0) {
            value = negative ? -0f : 0f;
            return i;
        }
        return fast(w, scale, negative) ? i : slowText(b, pos, i);
    }

    /** Clinger's fast path; false when the result would need more than one rounding to be sure. */
    private boolean fast(long w, int scale, boolean negative) {
        if (w >= TWO_53 || scale < -22 || scale > 22) {
            return false;
        }
        // w and 10^|scale| are exact doubles, so the product or quotient is rounded once
        double d = scale < 0 ? w / POW10[-scale] : w * POW10[scale];
        // d is a normal float's neighbourhood (1e-22 .. 9e37): rounding it to float gives the
        // float nearest the exact value unless d sits exactly halfway, where the exact value may not
        if ((Double.doubleToRawLongBits(d) & MIDPOINT_MASK) == MIDPOINT) {
            return false;
        }
        float f = (float) d;
        value = negative ? -f : f;
        return true;
    }

    /** After the {@code e}: checks the exponent's syntax, then reads the whole text the slow way. */
    private int slowWithExponent(byte[] b, int pos, int i, int end) {
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            i++;
        }
        int first = i;
        while (i < end && isDigit(b[i])) {
            i++;
        }
        return i == first ? -1 : slowText(b, pos, i);
    }

    /** Finds the end of a plain number whose digits did not fit a long, then reads it the slow way. */
    private int slow(byte[] b, int pos, int end) {
        int i = pos + (b[pos] == '-' ? 1 : 0);
        while (i < end && isDigit(b[i])) {
            i++;
        }
        if (i < end && b[i] == '.') {
            int first = ++i;
            while (i < end && isDigit(b[i])) {
                i++;
            }
            if (i == first) {
                return -1;
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            return slowWithExponent(b, pos, i + 1, end);
        }
        return slowText(b, pos, i);
    }

    /** Today's reading of the text {@code b[pos, end)}, which is known to be a JSON number. */
    private int slowText(byte[] b, int pos, int end) {
        int length = end - pos;
        if (length > MAX_FAST_LENGTH) {
            return -1;
        }
        for (int i = 0; i < length; i++) {
            text[i] = (char) b[pos + i];
        }
        value = NumberInput.parseFloat(text, 0, length, true);
        return end;
    }

    private static int word(byte[] b, int i, int end, byte[] word) {
        if (end - i < word.length) {
            return -1;
        }
        for (int j = 0; j < word.length; j++) {
            if (b[i + j] != word[j]) {
                return -1;
            }
        }
        return i + word.length;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
