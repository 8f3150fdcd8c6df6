package io.github.flinksoftmax.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a float as the shortest decimal that reads back as the same float, laid out like
 * {@link Float#toString(float)} ({@code 0.25}, {@code 1.0E-5}, {@code -Infinity}), into a caller's
 * byte (ASCII) or char array. It exists because Jackson's {@code writeNumber(float)} allocates a
 * String per number, several times the bytes it writes, and the output path must allocate less
 * than twice its output. Every value goes out as the shortest digit string inside the float's
 * rounding interval, the one nearest the float when several qualify, so Python and Java parse it
 * back to the same bits. Non-finite values are the bare tokens {@code NaN}, {@code Infinity},
 * {@code -Infinity}.
 *
 * <p>Two ways find the digits, with the same result (the exhaustive check compares them on every
 * float). For floats from 3e-20 to 3e7, nearly all that softmax reads and writes, the rounding
 * interval is scaled exactly to integers at the one decimal exponent where it holds at least one
 * and at most ten, with one 64x64-bit multiplication per bound, as in Giulietti's Schubfach;
 * that exponent's multiples and the one candidate with a digit less settle it. For the others a
 * search over decimal exponents with double arithmetic, settled exactly by BigDecimal near ties,
 * does it. Not thread-safe: it keeps scratch state; one instance per format.
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

    // 5^0 .. 5^27, the largest power of 5 below 2^63
    private static final long[] POW5 = new long[28];

    static {
        POW5[0] = 1;
        for (int i = 1; i < POW5.length; i++) {
            POW5[i] = 5 * POW5[i - 1];
        }
    }

    // per biased exponent of a normal float: k = floor(log10(2^(p+2))), p = biased - 152, the
    // decimal exponent of the digits; shift = k - p; 5^-k; 10^-k as the search scales by it.
    // A shift of 0 marks the exponents the exact way leaves to the search (k < -27 or shift
    // outside 1..63): computed once, these are four loads instead of a chain of arithmetic
    private static final int[] EXACT_SHIFT = new int[256];
    private static final int[] EXACT_K = new int[256];
    private static final long[] EXACT_POW5 = new long[256];
    private static final double[] EXACT_SCALE = new double[256];

    static {
        for (int biased = 1; biased < 255; biased++) {
            int p = biased - 152;
            int k = (p + 2) * 78913 >> 18; // floor(log10(2^(p+2))): log10(2) ~ 78913 / 2^18
            int shift = k - p;
            if (k >= -27 && shift > 0 && shift < 64) {
                EXACT_SHIFT[biased] = shift;
                EXACT_K[biased] = k;
                EXACT_POW5[biased] = POW5[-k];
                EXACT_SCALE[biased] = P10[P10_BIAS - k];
            }
        }
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ZEROS = 0x3030_3030_3030_3030L; // '0' in every byte
    private static final int ZERO_POINT_ZEROS = '0' | '.' << 8 | '0' << 16 | '0' << 24;

    // "E-45" .. "E38" as little-endian ints, unused bytes zero; float exponents stay within them
    private static final int EXPONENT_BIAS = 45;
    private static final int[] EXPONENTS = new int[EXPONENT_BIAS + 39];

    static {
        for (int e = -EXPONENT_BIAS; e <= 38; e++) {
            byte[] s = ("E" + e).getBytes(StandardCharsets.US_ASCII);
            int packed = 0;
            for (int i = 0; i < s.length; i++) {
                packed |= (s[i] & 0xFF) << (8 * i);
            }
            EXPONENTS[e + EXPONENT_BIAS] = packed;
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
        long shortest = shortestExactly(f); // the common case, checked first: no branch per special value
        if (shortest < 0) {
            return writeBySearch(f, out, pos);
        }
        out[pos] = '-';
        pos -= Float.floatToRawIntBits(f) >> 31; // past the minus sign when there is one
        return layoutBelow2e8((int) (shortest >>> 8), (byte) shortest, out, pos);
    }

    /** Writes {@code f} at {@code out[pos]}, which needs {@link #MAX_LENGTH} free chars; returns the end. */
    int write(float f, char[] out, int pos) {
        int len = write(f, text, 0);
        for (int i = 0; i < len; i++) {
            out[pos + i] = (char) text[i];
        }
        return pos + len;
    }

    /**
     * As {@link #write(float, byte[], int)}, by the search alone: for the values the exact way
     * leaves, and for the check that both ways agree.
     */
    int writeBySearch(float f, byte[] out, int pos) {
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
        shortestBySearch(a);
        return layout(decimal, exponent10, out, pos);
    }

    /**
     * The shortest decimal of |f| in integer arithmetic, for normal floats from about 3e-20 to 3e7
     * (-1 for all others, NaN and infinities included), after Giulietti's Schubfach, as
     * {@code digits << 8 | (exponent & 0xFF)}: a pair without a pair object or fields. The
     * bounds of the rounding interval are (4m -+ 2) 2^p (4m - 1 below a power of two), m the
     * significand, so its width is 2^(p+2) or less. With k = floor(log10(2^(p+2))) the interval
     * holds a multiple of 10^k (the rare exception, below a power of two, goes to the search)
     * and at most one of 10^(k+1).
     * Scaled by 10^-k the bounds are (4m -+ 2) 5^-k 2^(p - k): the 64x64-bit product shifted
     * right gives their integer parts exactly, and whether anything was cut off. If the one
     * multiple of 10^(k+1) is there it is the shortest, the only one of its length; otherwise
     * the digits are those of 10^k, the one nearest the float as the search picks it.
     */
    private static long shortestExactly(float f) {
        int raw = Float.floatToRawIntBits(f) & 0x7FFF_FFFF; // |f|, also for a NaN with its sign bit set
        float a = Float.intBitsToFloat(raw);
        int biased = raw >>> 23; // 255 for NaN and infinity, 0 for zero: the table sends both to the search
        int fraction = raw & 0x7F_FFFF;
        int shift = EXACT_SHIFT[biased];
        if (shift == 0) {
            return -1; // subnormal, or outside the range this way covers
        }
        int k = EXACT_K[biased];
        long pow5 = EXACT_POW5[biased];
        long m = fraction | 0x80_0000L;
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
            return -1; // then no multiple of 10^(k+1) is inside either
        }
        // Both candidates, then a choice without a branch: which one wins depends on the digits,
        // and a branch on it mispredicted often enough to cost an eighth of the encode time
        // (23 against 20 us per 1000-float JSON record).
        // The nearest is computed the same way as the search (k <= 0: scale multiplies), so both ways agree.
        long nearest = Math.max(first, Math.min(last, (long) Math.rint(a * EXACT_SCALE[biased])));
        long shorter = div10(last);
        long shorterInside = (first - 10 * shorter - 1) >>> 63; // 1 when 10 * shorter >= first
        long decimal = nearest + ((shorter - nearest) & -shorterInside); // trailing zeros are the layout's to drop
        return decimal << 8 | ((k + shorterInside) & 0xFF);
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
        int len = write(f, text, 0);
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

    /**
     * Writes {@code d * 10^k} the way Float.toString lays it out; {@code 0 < d < 10^9}. The
     * digits, padded with zeros to nine, go out as the leading one and a block of eight stored
     * at once; the block's last non-zero digit says where the number ends, so trailing zeros
     * cost nothing. Bytes past the returned end may be overwritten.
     */
    static int layout(long d, int k, byte[] out, int pos) {
        int digits = (int) d;
        int n = digitCount(digits);
        int e = k + n - 1; // exponent of the leading digit
        int nine = digits * POW10_INT[9 - n];
        int lead = nine / 100_000_000;
        long block = eightDigits(nine - lead * 100_000_000);
        int more = (71 - Long.numberOfLeadingZeros(block)) >>> 3; // digits after the leading one, to the last non-zero
        return place(lead, block + ZEROS, more, e, out, pos);
    }

    /**
     * Lays out the leading digit {@code lead} (0..9), then the ASCII digits of {@code block}
     * (first in the lowest byte, padded with '0') of which the first {@code more} matter, with
     * {@code e} the exponent of the leading digit.
     */
    private static int place(int lead, long block, int more, int e, byte[] out, int pos) {
        if (e < -3 || e >= 7) {
            out[pos] = (byte) ('0' + lead);
            out[pos + 1] = '.';
            LONG.set(out, pos + 2, block);
            pos += 2 + Math.max(more, 1); // 1.0E-5: one zero when nothing follows the point
            int exp = EXPONENTS[e + EXPONENT_BIAS];
            INT.set(out, pos, exp);
            return pos + ((39 - Integer.numberOfLeadingZeros(exp)) >>> 3); // to its last non-zero byte
        }
        if (e < 0) {
            INT.set(out, pos, ZERO_POINT_ZEROS); // 0.00, then the digits over as many of it as needed
            pos -= e;
            out[pos + 1] = (byte) ('0' + lead);
            LONG.set(out, pos + 2, block);
            return pos + 2 + more;
        }
        // the whole part, then its last digit and what follows moved one right for the point
        out[pos] = (byte) ('0' + lead);
        LONG.set(out, pos + 1, block);
        long tail = (long) LONG.get(out, pos + e + 1);
        LONG.set(out, pos + e + 2, tail);
        out[pos + e + 1] = '.';
        return pos + e + 2 + Math.max(more - e, 1);
    }

    /**
     * As {@link #layout}, for {@code 0 < d < 2 * 10^8}, which the exact way always gives (d is
     * the float in units of 10^k, at most 2^24 times the interval, which is under ten units
     * wide): the digits need no count first. The ninth digit can only be a 1, and below it the
     * eight-digit block's leading zero bytes say where the digits start. A count, a scaling to
     * nine digits and a split by 10^8 took an eighth of the time.
     */
    private static int layoutBelow2e8(int d, int k, byte[] out, int pos) {
        int nine = d >= 100_000_000 ? 1 : 0;
        long block = eightDigits(d - nine * 100_000_000);
        int zeros = Long.numberOfTrailingZeros(block) >>> 3; // leading zero digits, the lowest bytes
        long digits = block >>> (zeros << 3); // with nine digits: not used (block is 0 for 10^8)
        int lead = nine != 0 ? 1 : (int) digits & 0xFF;
        long rest = nine != 0 ? block : digits >>> 8;
        int e = k + (nine != 0 ? 8 : 7 - zeros); // exponent of the leading digit
        int more = (71 - Long.numberOfLeadingZeros(rest)) >>> 3;
        return place(lead, rest + ZEROS, more, e, out, pos);
    }

    /** Decimal digits of {@code 0 < value < 10^9}: log10 from the bit length, corrected by one comparison. */
    private static int digitCount(int value) {
        int t = (32 - Integer.numberOfLeadingZeros(value)) * 1233 >>> 12;
        return value >= POW10_INT[t] ? t + 1 : t;
    }

    /**
     * The eight decimal digits of {@code 0 <= value < 10^8} as byte values 0..9, most significant
     * in the lowest byte (first in memory, little-endian): two halves of four digits, split in
     * two and again in two by multiplications that work on all the lanes of the long at once.
     */
    private static long eightDigits(int value) {
        int high = value / 10_000;
        long x = high | (long) (value - high * 10_000) << 32;
        long hundreds = (x * 10486 >>> 20) & 0x7F_0000_007FL; // lane / 100 for lanes below 10^4
        x = hundreds | (x - 100 * hundreds) << 16;
        long tens = (x * 103 >>> 10) & 0x000F_000F_000F_000FL; // lane / 10 for lanes below 100
        return tens | (x - 10 * tens) << 8;
    }

    private static int put(byte[] s, byte[] out, int pos) {
        System.arraycopy(s, 0, out, pos, s.length);
        return pos + s.length;
    }
}
