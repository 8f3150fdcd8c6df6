package io.github.flinksoftmax.format;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Writes a float as the shortest decimal that reads back as the same float, laid out like
 * {@link Float#toString(float)} ({@code 0.25}, {@code 1.0E-5}, {@code -Infinity}), into a caller's
 * char array. It exists because Jackson's {@code writeNumber(float)} allocates a String per
 * number, several times the bytes it writes, and the output path must allocate less than twice
 * its output. Every value goes out as the shortest digit string inside the float's rounding
 * interval, the one nearest the float when several qualify, so Python and Java parse it back to
 * the same bits. Non-finite values are the bare tokens {@code NaN}, {@code Infinity},
 * {@code -Infinity}. Not thread-safe: it keeps scratch state; one instance per format.
 */
final class FloatDigits {

    /** Longest output, {@code -1.23456789E-45}, with room to spare. */
    static final int MAX_LENGTH = 24;

    // 10^-60 .. 10^60 as the nearest doubles; decimal exponents of float intervals stay within +-50
    private static final int P10_BIAS = 60;
    private static final double[] P10 = new double[2 * P10_BIAS + 1];

    static {
        for (int i = 0; i < P10.length; i++) {
            P10[i] = Double.parseDouble("1e" + (i - P10_BIAS));
        }
    }

    private static final int[] POW10_INT = {
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, Integer.MAX_VALUE
    };

    private final char[] digits = new char[10];
    private final char[] text = new char[MAX_LENGTH];
    // the smallest and largest multiple of 10^k inside the interval, in units of 10^k,
    // left by the last call of fits(): a pair of results without allocating a pair
    private long firstMultiple;
    private long lastMultiple;

    /** Writes {@code f} at {@code out[pos]}, which needs {@link #MAX_LENGTH} free chars; returns the end. */
    int write(float f, char[] out, int pos) {
        if (f != f) {
            return put("NaN", out, pos);
        }
        if (Float.floatToRawIntBits(f) < 0) {
            out[pos++] = '-';
        }
        float a = Math.abs(f);
        if (a == Float.POSITIVE_INFINITY) {
            return put("Infinity", out, pos);
        }
        if (a == 0f) {
            return put("0.0", out, pos);
        }
        double v = a;
        // the interval of reals that round to a: halfway to each neighbour, exact in double
        // (24-bit floats, 25-bit midpoints); ties go to the even significand
        float up = Math.nextUp(a);
        double hi = up == Float.POSITIVE_INFINITY ? v + Math.ulp(a) * 0.5 : (v + up) * 0.5;
        double lo = (v + Math.nextDown(a)) * 0.5;
        boolean closed = (Float.floatToRawIntBits(a) & 1) == 0;

        // the largest k with a multiple of 10^k in the interval gives the fewest digits; the
        // predicate is monotone in k. Most floats need 8 or 9 digits, so start at 8 and step:
        // two probes usually settle it where bisection over all candidates would take five
        int e = floorLog10(v);
        int k = e - 7;
        if (fits(lo, hi, closed, k)) {
            long first = firstMultiple;
            long last = lastMultiple;
            while (fits(lo, hi, closed, k + 1)) {
                k++;
                first = firstMultiple;
                last = lastMultiple;
            }
            firstMultiple = first;
            lastMultiple = last;
        } else {
            do {
                k--;
            } while (!fits(lo, hi, closed, k));
        }
        long d = Math.max(firstMultiple, Math.min(lastMultiple, (long) Math.rint(scale(v, k))));
        return layout(d, k, out, pos);
    }

    /** Appends {@code f} as {@link #write} does. */
    void append(float f, StringBuilder sb) {
        sb.append(text, 0, write(f, text, 0));
    }

    /**
     * Whether a multiple of 10^k lies in the interval. Scaled bounds carry at most two roundings
     * (2^-52 relative); only when one lands within a wide margin of an integer, where that error
     * could decide the answer, is the question settled exactly, which is rare.
     */
    private boolean fits(double lo, double hi, boolean closed, int k) {
        double x = scale(lo, k);
        double y = scale(hi, k);
        double margin = y * 0x1p-50;
        if (Math.abs(x - Math.rint(x)) <= margin || Math.abs(y - Math.rint(y)) <= margin) {
            return fitsExactly(lo, hi, closed, k);
        }
        firstMultiple = (long) Math.ceil(x);
        lastMultiple = (long) Math.floor(y);
        return firstMultiple <= lastMultiple;
    }

    private boolean fitsExactly(double lo, double hi, boolean closed, int k) {
        BigDecimal x = new BigDecimal(lo).scaleByPowerOfTen(-k);
        BigDecimal y = new BigDecimal(hi).scaleByPowerOfTen(-k);
        BigDecimal first = x.setScale(0, RoundingMode.CEILING);
        BigDecimal last = y.setScale(0, RoundingMode.FLOOR);
        if (!closed && first.compareTo(x) == 0) {
            first = first.add(BigDecimal.ONE);
        }
        if (!closed && last.compareTo(y) == 0) {
            last = last.subtract(BigDecimal.ONE);
        }
        firstMultiple = first.longValueExact();
        lastMultiple = last.longValueExact();
        return firstMultiple <= lastMultiple;
    }

    /** {@code x / 10^k}, correctly rounded when 10^|k| is exact in double (|k| <= 22). */
    private static double scale(double x, int k) {
        return k > 0 && k <= 22 ? x / P10[P10_BIAS + k] : x * P10[P10_BIAS - k];
    }

    /**
     * floor(log10(v)), give or take one where the table's rounding or the log10(2) estimate
     * blurs it; the search steps from there in either direction, so any start is correct.
     */
    private static int floorLog10(double v) {
        int e = Math.floorDiv(Math.getExponent(v) * 78913, 1 << 18); // log10(2) ~ 78913 / 2^18
        return v >= P10[P10_BIAS + e + 1] ? e + 1 : e;
    }

    /** Writes {@code d * 10^k} the way Float.toString lays it out; {@code d > 0}. */
    private int layout(long d, int k, char[] out, int pos) {
        while (d % 10 == 0) {
            d /= 10;
            k++;
        }
        // the shortest form has at most 9 digits, so int arithmetic (cheaper division) holds it
        int rest = (int) d;
        int n = 0;
        while (rest >= POW10_INT[n]) {
            n++;
        }
        for (int i = n - 1; i >= 0; i--, rest /= 10) {
            digits[i] = (char) ('0' + rest % 10);
        }
        int e = k + n - 1; // exponent of the leading digit
        if (e >= -3 && e < 7) {
            return layoutPlain(n, e, out, pos);
        }
        out[pos++] = digits[0];
        out[pos++] = '.';
        if (n == 1) {
            out[pos++] = '0';
        } else {
            System.arraycopy(digits, 1, out, pos, n - 1);
            pos += n - 1;
        }
        out[pos++] = 'E';
        if (e < 0) {
            out[pos++] = '-';
            e = -e;
        }
        if (e >= 10) { // float exponents have at most two digits
            out[pos++] = (char) ('0' + e / 10);
        }
        out[pos++] = (char) ('0' + e % 10);
        return pos;
    }

    private int layoutPlain(int n, int e, char[] out, int pos) {
        if (e < 0) {
            out[pos++] = '0';
            out[pos++] = '.';
            for (int i = -1; i > e; i--) {
                out[pos++] = '0';
            }
            System.arraycopy(digits, 0, out, pos, n);
            return pos + n;
        }
        int whole = e + 1;
        for (int i = 0; i < whole; i++) {
            out[pos++] = i < n ? digits[i] : '0';
        }
        out[pos++] = '.';
        if (n <= whole) {
            out[pos++] = '0';
            return pos;
        }
        System.arraycopy(digits, whole, out, pos, n - whole);
        return pos + n - whole;
    }

    private static int put(String s, char[] out, int pos) {
        s.getChars(0, s.length(), out, pos);
        return pos + s.length();
    }
}
