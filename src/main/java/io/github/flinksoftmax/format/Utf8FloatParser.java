package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.io.NumberInput;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads one JSON number (or the token {@code NaN}, {@code Infinity}, {@code -Infinity}) straight
 * from UTF-8 bytes to the nearest float, for the fast decoding path. It accepts only what
 * Jackson accepts as a number token (no leading zeros, no leading {@code +} or {@code .}, digits
 * after {@code .} and {@code e}) and declines anything else, so the caller can leave the record
 * to Jackson, whose messages name the error. The result is the float Jackson's
 * {@code NumberInput.parseFloat} gives for the same text, bit for bit: inputs with at most 15
 * significant digits (and some 16-digit ones) and a small exponent, nearly all the numbers model
 * servers write, are rounded by Clinger's fast path (one exactly rounded double operation, then
 * a float conversion that is exact unless the double lies on a float midpoint); the rest go to
 * that very method on a copy of the text in a reused char buffer. Fraction digits are read up to
 * eight per step (one little-endian long: a mask test for where the digits stop, three
 * multiplications for their value), which is where most of a float's text is; the common shape,
 * a fraction that ends within the first such step and no exponent, takes a straight path with no
 * loop over the fraction. Not thread-safe: it keeps the last value and scratch space.
 */
final class Utf8FloatParser {

    /** Longer numbers are left to Jackson, which rejects those beyond its limit. */
    static final int MAX_FAST_LENGTH = 100;

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    private static final long[] LONG_POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    private static final long TWO_53 = 1L << 53;
    // a double whose low 29 significand bits are 1000..0 is halfway between two floats
    private static final long MIDPOINT_MASK = (1L << 29) - 1;
    private static final long MIDPOINT = 1L << 28;
    private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};
    private static final byte[] NAN = {'N', 'a', 'N'};

    /** More significant digits than this may not fit a long; Jackson reads such numbers. */
    private static final int MAX_DIGITS = 18;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ZEROS = 0x3030303030303030L;
    // in each byte, the high bit of b, b + 0x46 or b - 0x30 is set unless b is a digit; a carry or
    // borrow can only spoil the bytes after the first non-digit, and only the first one counts
    private static final long ABOVE_NINE = 0x4646464646464646L;
    private static final long HIGH_BITS = 0x8080808080808080L;

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
        // The common shape first, as model servers write floats: an integer part, a fraction of
        // one to eight digits read as one word, no exponent. Without general's loops and checks
        // per digit this path has few branches to mispredict; any other text, and any doubt, goes
        // to general, which reads the number again from the start.
        int i = pos;
        boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        int first = i;
        if (i >= end) {
            return -1;
        }
        int c = b[i];
        long w = c - '0';
        if (c == '0') {
            i++;
        } else if (isDigit(b[i])) {
            for (i++; i < end && isDigit(b[i]); i++) {
                w = 10 * w + (b[i] - '0');
            }
        } else {
            return general(b, pos, end);
        }
        int fraction = i + 1;
        if (fraction > end - 8 || b[i] != '.') {
            return general(b, pos, end);
        }
        long v = (long) LONG_LE.get(b, fraction);
        int n = leadingDigits(v);
        i = fraction + n;
        if (n == 0 || i < end && (isDigit(b[i]) || (b[i] | 0x20) == 'e') || fraction - 1 - first + n > MAX_DIGITS) {
            return general(b, pos, end);
        }
        // the n digits to the top bytes, zeros below: the same number with leading zeros
        w = w * LONG_POW10[n] + eightDigits((v - ZEROS) << (64 - 8 * n));
        return fast(w, -n, negative) ? i : slowText(b, pos, i); // fast gives zeros their sign too
    }

    /** As {@link #parse}, for any text: digit runs of any length, exponents, tokens, errors. */
    private int general(byte[] b, int pos, int end) {
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
        int first = i;
        long w;
        if (c == '0') {
            w = 0;
            i++;
            if (i < end && isDigit(b[i])) {
                return -1; // a leading zero: Jackson's error
            }
        } else if (c >= '1' && c <= '9') {
            w = c - '0';
            for (i++; i < end && isDigit(b[i]); i++) {
                w = 10 * w + (b[i] - '0'); // may overflow: then there are too many digits, see below
            }
        } else {
            return -1;
        }
        int digits = i - first;
        int scale = 0;
        if (i < end && b[i] == '.') {
            int fraction = ++i;
            // fractions are most of a float's text: up to eight digits per step while eight bytes remain
            while (i <= end - 8) {
                long v = (long) LONG_LE.get(b, i);
                int n = leadingDigits(v);
                if (n == 0) {
                    break;
                }
                // the n digits to the top bytes, zeros below: the same number with leading zeros
                w = w * LONG_POW10[n] + eightDigits((v - ZEROS) << (64 - 8 * n));
                i += n;
                if (n < 8) {
                    break;
                }
            }
            for (; i < end && isDigit(b[i]); i++) {
                w = 10 * w + (b[i] - '0');
            }
            if (i == fraction) {
                return -1;
            }
            digits += i - fraction;
            scale = fraction - i;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = i < end && b[i] == '-';
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int firstExponentDigit = i;
            int exponent = 0;
            for (; i < end && isDigit(b[i]); i++) {
                exponent = exponent < 10_000 ? 10 * exponent + (b[i] - '0') : exponent; // beyond any float
            }
            if (i == firstExponentDigit) {
                return -1;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i - pos > MAX_FAST_LENGTH) {
            return -1;
        }
        if (digits > MAX_DIGITS && digits - leadingZeros(b, first, i) > MAX_DIGITS) {
            return slowText(b, pos, i); // w may have overflowed
        }
        if (w == 0) {
            value = negative ? -0f : 0f;
            return i;
        }
        return fast(w, scale, negative) ? i : slowText(b, pos, i);
    }

    /** How many of the eight bytes of {@code word}, first in memory first, are ASCII digits before any other byte. */
    private static int leadingDigits(long word) {
        return Long.numberOfTrailingZeros((word | word + ABOVE_NINE | word - ZEROS) & HIGH_BITS) >>> 3;
    }

    /**
     * The value of eight digits (0 to 9, not ASCII) in little-endian byte order, the first digit
     * in the lowest byte: pairs, then fours, then all eight, in three multiplications.
     */
    private static long eightDigits(long v) {
        v = 10 * v + (v >>> 8);
        return ((v & 0x000000FF000000FFL) * (100 + (1_000_000L << 32))
                + ((v >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32))) >>> 32;
    }

    /** How many of the digits in {@code b[first, end)} are leading zeros (these do not count). */
    private static int leadingZeros(byte[] b, int first, int end) {
        int zeros = 0;
        for (int i = first; i < end && (b[i] == '0' || b[i] == '.'); i++) {
            zeros += b[i] == '0' ? 1 : 0;
        }
        return zeros;
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
