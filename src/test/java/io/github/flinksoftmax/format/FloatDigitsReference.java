package io.github.flinksoftmax.format;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@link FloatDigits} as it was before its digit choice and layout were rewritten for speed
 * (commit 7026489), frozen: {@link FloatDigitsExhaustiveCheck} requires the same bytes from the
 * new one for every float. Do not change it.
 */
final class FloatDigitsReference {

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

    // 5^0 .. 5^27, the largest power of 5 below 2^63
    private static final long[] POW5 = new long[28];
    // "00" .. "99": two digits per division
    private static final byte[] PAIRS = new byte[200];

    static {
        POW5[0] = 1;
        for (int i = 1; i < POW5.length; i++) {
            POW5[i] = 5 * POW5[i - 1];
        }
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private static final byte[] NAN = {'N', 'a', 'N'};
    private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};
    private static final byte[] ZERO = {'0', '.', '0'};

    private final byte[] text = new byte[MAX_LENGTH];
    // the result of the digit search: the float is decimal * 10^exponent10, shortest
    private long decimal;
    private int exponent10;
    // the smallest and largest multiple of 10^k inside the interval, in units of 10^k,
    // left by the last call of fits(): a pair of results without allocating a pair
    private long firstMultiple;
    private long lastMultiple;

    /** Writes {@code f} at {@code out[pos]}, which needs {@link #MAX_LENGTH} free bytes; returns the end. */
    int write(float f, byte[] out, int pos) {
        return write(f, out, pos, true);
    }

    /** Writes {@code f} at {@code out[pos]}, which needs {@link #MAX_LENGTH} free chars; returns the end. */
    int write(float f, char[] out, int pos) {
        int len = write(f, text, 0, true);
        for (int i = 0; i < len; i++) {
            out[pos + i] = (char) text[i];
        }
        return pos + len;
    }

    /** As {@link #write(float, byte[], int)}, by the search alone: for the check that both ways agree. */
    int writeBySearch(float f, byte[] out, int pos) {
        return write(f, out, pos, false);
    }

    private int write(float f, byte[] out, int pos, boolean exact) {
        if (f != f) {
            return put(NAN, out, pos);
        }
        if (Float.floatToRawIntBits(f) < 0) {
            out[pos++] = '-';
        }
        float a = Math.abs(f);
        if (a == Float.POSITIVE_INFINITY) {
            return put(INFINITY, out, pos);
        }
        if (a == 0f) {
            return put(ZERO, out, pos);
        }
        if (!exact || !shortestExactly(a)) {
            shortestBySearch(a);
        }
        return layout(decimal, exponent10, out, pos);
    }

    /**
     * The shortest decimal in integer arithmetic, for normal floats from about 1e-18 to 1e9;
     * false for the others. The bounds of the rounding interval are (4m -+ 2) 2^p (4m - 1 below
     * a power of two), m the significand: scaled by 10^-kb with kb nine below the leading
     * digit's exponent they are (4m -+ 2) 5^-kb 2^(p - kb), and the 64x64-bit product shifted
     * right gives their integer parts exactly, and whether anything was cut off.
     */
    private boolean shortestExactly(float a) {
        int raw = Float.floatToRawIntBits(a);
        int biased = raw >>> 23;
        int fraction = raw & 0x7F_FFFF;
        if (biased == 0) {
            return false; // subnormal
        }
        long m = fraction | 0x80_0000L;
        int p = biased - 152;
        double v = a;
        // floor(log10(v)) or one less, from the binary exponent alone: ten or eleven digits, room for nine
        int kb = ((biased - 127) * 78913 >> 18) - 9;
        int shift = kb - p;
        if (kb > 0 || kb < -27 || shift <= 0 || shift >= 64) {
            return false;
        }
        long pow5 = POW5[-kb];
        long lower = fraction == 0 && biased > 1 ? 4 * m - 1 : 4 * m - 2;
        long upper = 4 * m + 2;
        long lowLo = lower * pow5;
        long x = (lowLo >>> shift) | (Math.multiplyHigh(lower, pow5) << (64 - shift));
        boolean xExact = lowLo << (64 - shift) == 0;
        long upLo = upper * pow5;
        long y = (upLo >>> shift) | (Math.multiplyHigh(upper, pow5) << (64 - shift));
        boolean yExact = upLo << (64 - shift) == 0;
        boolean closed = (m & 1) == 0; // ties go to the even significand, so the bounds belong to it
        long first = closed && xExact ? x : x + 1;
        long last = !closed && yExact ? y - 1 : y;
        if (first > last) {
            return false; // nine digits always fit; kept for safety, the search then answers
        }
        int k = kb;
        // a multiple of 10^(k+1) in the interval is ceil(first / 10) .. floor(last / 10)
        for (long f10 = div10(first + 9), l10 = div10(last); f10 <= l10; f10 = div10(first + 9), l10 = div10(last)) {
            first = f10;
            last = l10;
            k++;
        }
        // the nearest the same way as the search, so both ways give the same digits
        decimal = Math.max(first, Math.min(last, (long) Math.rint(scale(v, k))));
        exponent10 = k;
        return true;
    }

    /** The shortest decimal by searching the decimal exponent; any positive finite float. */
    private void shortestBySearch(float a) {
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
        decimal = Math.max(firstMultiple, Math.min(lastMultiple, (long) Math.rint(scale(v, k))));
        exponent10 = k;
    }

    /** Appends {@code f} as {@link #write} does. */
    void append(float f, StringBuilder sb) {
        int len = write(f, text, 0, true);
        for (int i = 0; i < len; i++) {
            sb.append((char) text[i]);
        }
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

    /** {@code x / 10} for {@code 0 <= x < 2^62}, by multiplication: C2 leaves long division a division. */
    private static long div10(long x) {
        return Math.multiplyHigh(x, 0x6666666666666667L) >> 2;
    }

    /** Writes {@code d * 10^k} the way Float.toString lays it out; {@code d > 0}. */
    static int layout(long d, int k, byte[] out, int pos) {
        // the shortest form has at most 9 digits, so int arithmetic (cheaper division) holds it
        int rest = (int) d;
        while (rest % 10 == 0) { // never, for the largest k; kept so the layout holds for any d
            rest /= 10;
            k++;
        }
        int n = 1;
        while (rest >= POW10_INT[n]) {
            n++;
        }
        int e = k + n - 1; // exponent of the leading digit
        if (e < -3 || e >= 7) {
            // d.ddddEx: the digits one place right, then the leading one moved before the point
            writeDigits(rest, n, out, pos + 1);
            out[pos] = out[pos + 1];
            out[pos + 1] = '.';
            pos += n + 1;
            if (n == 1) {
                out[pos++] = '0';
            }
            out[pos++] = 'E';
            if (e < 0) {
                out[pos++] = '-';
                e = -e;
            }
            if (e >= 10) { // float exponents have at most two digits
                out[pos++] = (byte) ('0' + e / 10);
            }
            out[pos++] = (byte) ('0' + e % 10);
            return pos;
        }
        if (e < 0) {
            out[pos++] = '0';
            out[pos++] = '.';
            for (int i = -1; i > e; i--) {
                out[pos++] = '0';
            }
            writeDigits(rest, n, out, pos);
            return pos + n;
        }
        int whole = e + 1;
        if (n <= whole) {
            writeDigits(rest, n, out, pos);
            pos += n;
            for (int i = n; i < whole; i++) {
                out[pos++] = '0';
            }
            out[pos++] = '.';
            out[pos++] = '0';
            return pos;
        }
        // the digits one place right, then the whole part moved left over the gap for the point
        writeDigits(rest, n, out, pos + 1);
        for (int i = 0; i < whole; i++) {
            out[pos + i] = out[pos + i + 1];
        }
        out[pos + whole] = '.';
        return pos + n + 1;
    }

    /** Writes the {@code n} decimal digits of {@code value} at {@code out[pos]}, two per division. */
    private static void writeDigits(int value, int n, byte[] out, int pos) {
        int i = pos + n;
        for (; value >= 100; value /= 100) {
            int pair = 2 * (value % 100);
            out[--i] = PAIRS[pair + 1];
            out[--i] = PAIRS[pair];
        }
        if (value >= 10) {
            out[--i] = PAIRS[2 * value + 1];
            out[--i] = PAIRS[2 * value];
        } else {
            out[--i] = (byte) ('0' + value);
        }
    }

    private static int put(byte[] s, byte[] out, int pos) {
        System.arraycopy(s, 0, out, pos, s.length);
        return pos + s.length;
    }
}
