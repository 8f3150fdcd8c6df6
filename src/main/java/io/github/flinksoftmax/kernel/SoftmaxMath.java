package io.github.flinksoftmax.kernel;

/**
 * The arithmetic every kernel shares, written once so the scalar and vector paths produce the
 * same bits: the shift that keeps exponents at or below zero, the float exp, the order in which
 * a row's exponentials are summed, and the log of that sum. The vector kernel repeats
 * {@link #exp} lane-wise with exactly the same operations; any change here must be mirrored there.
 */
final class SoftmaxMath {

    /**
     * Logical lanes of the sum. Element {@code i} of a row (below the last multiple of 16) is
     * added to lane {@code i % 16}, whatever the hardware width, so 128-, 256- and 512-bit
     * vectors and the scalar loop all add the same numbers in the same order; each lane is a
     * Kahan sum, the lanes meet in a fixed tree, and the last {@code len % 16} entries follow
     * in index order.
     */
    static final int LANES = 16;

    /** Below this, {@code exp} underflows past the smallest normal float: flushed to exactly 0. */
    static final float CUTOFF = -0x1.5d3334p6f; // -87.3

    static final float LOG2E = 0x1.715476p0f;
    /** 1.5 * 2^23 rounds to an integer; the extra 127 leaves the biased exponent in the low bits. */
    static final float SHIFTER = 0x1.8p23f + 127f;
    /**
     * ln 2 rounded to float, in one constant: the fma computes {@code t - n * LN2} with a single
     * rounding, and the constant's own error (1.9e-9) times |n| stays below 2e-8 wherever a
     * probability can reach 1e-3 (|n| <= 10), so a Cody-Waite second constant would buy nothing
     * there for one more fma per element. Tiny outputs (n near -126) lose up to 2.4e-7 relative.
     */
    static final float LN2 = 0x1.62e43p-1f;

    /*
     * Minimax (relative error) for exp on [-ln2/2, ln2/2], computed for this project with a Remez
     * exchange. Degree 6 rather than 5: with coefficients rounded to float, degree 5 loses about
     * 3 ulp by itself, while degree 6 keeps c0 = c1 = 1 (so exp(0) is exactly 1) and stays near
     * 1 ulp, for one extra fma per element.
     */
    static final float C6 = 0x1.6ab8cep-10f;
    static final float C5 = 0x1.126dbep-7f;
    static final float C4 = 0x1.55589ep-5f;
    static final float C3 = 0x1.55540ap-3f;
    static final float C2 = 0x1.fffffap-2f;

    static final long MANTISSA_BITS = 0x000F_FFFF_FFFF_FFFFL;
    /** The mantissa bits of sqrt(2) rounded to double: above them, {@link #logWide} halves m. */
    static final long SQRT2_MANTISSA = Double.doubleToRawLongBits(1.4142135623730951) & MANTISSA_BITS;
    static final double LN2_DOUBLE = 0.6931471805599453;

    /** Above this magnitude a rounded-up shift could push the row's largest exponent below -1/8. */
    private static final float EXACT_SHIFT_LIMIT = 0x1p20f;

    private SoftmaxMath() {}

    /**
     * The shift {@code m} subtracted from every {@code beta * x} (computed fused, one rounding).
     * {@code ext} is the row's largest unmasked input when {@code beta >= 0}, its smallest when
     * {@code beta < 0}, so {@code beta * ext} is the largest scaled logit. Rounded up so every
     * exponent is {@code <= 0}. Returns NaN when the float shift would overflow or lose too much
     * (the row then takes the {@link #wideT} route).
     */
    static float shift(float beta, float ext) {
        float m = beta * ext + 0f; // -0 becomes +0: which zero wins a max must not matter
        if (!Float.isFinite(m)) {
            return Float.NaN;
        }
        float residual = Math.fma(beta, ext, -m);
        if (residual > 0f) {
            if (Math.abs(m) >= EXACT_SHIFT_LIMIT) {
                return Float.NaN;
            }
            m = Math.nextUp(m);
        } else if (residual < 0f && Math.abs(m) >= EXACT_SHIFT_LIMIT) {
            return Float.NaN;
        }
        return m;
    }

    /** The exponent of one entry on the usual route: {@code beta * x - m} with a single rounding. */
    static float t(float beta, float x, float m) {
        return Math.fma(beta, x, -m);
    }

    /**
     * The exponent on the wide route, for rows whose scaled logits leave float range: products of
     * two floats are exact in double, so only the subtraction and the final narrowing round.
     */
    static float wideT(float beta, float x, double mWide) {
        return x == Float.NEGATIVE_INFINITY ? Float.NEGATIVE_INFINITY : (float) ((double) beta * x - mWide);
    }

    /**
     * {@code e^t} for {@code CUTOFF <= t <= 0}; exactly 0 for anything else, which covers masked
     * entries whatever beta's sign ({@code -Infinity}, {@code +Infinity} or NaN exponents) and
     * flushes results that would be subnormal. About 1 ulp.
     */
    static float exp(float t) {
        if (!(t >= CUTOFF && t <= 0f)) {
            return 0f;
        }
        float z = Math.fma(t, LOG2E, SHIFTER);
        float n = z - SHIFTER;
        float r = Math.fma(n, -LN2, t);
        float p = expPolynomial(r);
        return p * Float.intBitsToFloat(Float.floatToRawIntBits(z) << 23);
    }

    /**
     * Below this, {@code e^t} for the sigmoid is under 2^-126 (ln 2^-126 = -87.34), so the output
     * is flushed to 0 anyway; above it the exponent {@code n} stays >= -126, so 2^n is a normal float.
     */
    static final float SIGMOID_CUTOFF = -87.5f;
    /**
     * ln 2 in two parts for the sigmoid's range reduction (Cody-Waite): the high part has 17
     * significant bits, so {@code t - n * LN2_HI} is exact for |n| <= 127, and the low part carries
     * the rest. One float constant, as {@link #exp} uses, would cost up to 2 ulp at n = -126, where
     * the sigmoid (unlike a probability of 1e-3) still promises 4 ulp.
     */
    static final float LN2_HI = 0x1.62e4p-1f;
    static final float LN2_LO = 0x1.7f7d1cp-20f;

    /**
     * The logistic function of {@code beta * x}: {@code 1 / (1 + e)} for {@code beta * x >= 0},
     * {@code e / (1 + e)} below, with {@code e = exp(-|beta * x|)}, so nothing overflows for either
     * sign. A masked {@code x = -Infinity} gives exactly 0 whatever beta's sign; outputs below
     * 2^-126 are flushed to 0 (as {@link #exp} flushes: subnormal arithmetic is slow on x86, and
     * they are below every threshold a caller compares probabilities with). Within 1.5 ulp of
     * {@code 1 / (1 + exp(-beta * x))} in double (a sweep of every float in [-100, 100] at beta = 1).
     * The vector kernel repeats these operations lane-wise; any change here must be mirrored there.
     */
    static float sigmoid(float beta, float x) {
        if (x == Float.NEGATIVE_INFINITY) {
            return 0f;
        }
        // -|beta * x| as hi + lo, exactly: the argument is never rounded before the exp, which
        // matters here because e^t near t = -87 moves by 87 ulp per ulp of t
        float nb = -Math.abs(beta);
        float ax = Math.abs(x);
        float hi = nb * ax;
        float e = 0f;
        if (hi >= SIGMOID_CUTOFF) {
            e = sigmoidExp(hi, Math.fma(nb, ax, -hi));
        }
        return sigmoidOf(e, beta * x < 0f);
    }

    /** {@code e^(hi + lo)} for {@code SIGMOID_CUTOFF <= hi <= 0}, |lo| at most half an ulp of hi. */
    static float sigmoidExp(float hi, float lo) {
        float z = Math.fma(hi, LOG2E, SHIFTER);
        float n = z - SHIFTER;
        // the first product is exact (17-bit LN2_HI), so the only rounding of r is the last addition
        float r = Math.fma(n, -LN2_HI, hi) + Math.fma(n, -LN2_LO, lo);
        float p = expPolynomial(r);
        // exact unless the product is subnormal, and then the output is flushed anyway
        return p * Float.intBitsToFloat(Float.floatToRawIntBits(z) << 23);
    }

    /**
     * {@code 1 / (1 + e)}, or {@code e / (1 + e)} when {@code negative}, to within about half an
     * ulp, in float: {@code 1 + e} is kept as an exact pair {@code d + dlo}, and one Newton step on
     * the remainder corrects the quotient. Plain float {@code e / (1 + e)} rounds twice and lost up
     * to 2 ulp more; double would need two conversions and two half-width divisions per vector.
     */
    static float sigmoidOf(float e, boolean negative) {
        float d = 1f + e;
        float dlo = e - (d - 1f); // exact: e <= 1 (Fast2Sum)
        float num = negative ? e : 1f;
        float rcp = 1f / d;
        float q = num * rcp;
        float res = Math.fma(-q, d, num) - q * dlo;
        float s = Math.fma(res, rcp, q);
        return s >= Float.MIN_NORMAL ? s : 0f;
    }

    /**
     * Natural log, correctly rounded to float in all but rare ties, in plain double arithmetic so
     * every JVM and platform gives the same bits ({@code Math.log} may differ by an ulp between
     * JDKs; {@code StrictMath.log} is a slow native call on JDK 17). Needs a normal, finite {@code s}
     * (a row's sum is at least 7/8: its largest term is).
     */
    static float log(double s) {
        return (float) logWide(s);
    }

    /**
     * {@link #log} before its rounding to float. The vector kernel's batched log repeats these
     * double operations lane-wise; any change here must be mirrored there.
     */
    static double logWide(double s) {
        assert s >= Double.MIN_NORMAL && s < Double.POSITIVE_INFINITY : s;
        long bits = Double.doubleToRawLongBits(s);
        int e = (int) (bits >>> 52) - 1023;
        double m = Double.longBitsToDouble((bits & MANTISSA_BITS) | 0x3FF0_0000_0000_0000L);
        if (m > 1.4142135623730951) {
            m *= 0.5;
            e++;
        }
        double u = (m - 1) / (m + 1);
        double u2 = u * u;
        // 2 atanh(u) = log(m); |u| <= 0.1716, so 9 odd terms reach 1e-17.
        double series = 1.0 / 17;
        series = series * u2 + 1.0 / 15;
        series = series * u2 + 1.0 / 13;
        series = series * u2 + 1.0 / 11;
        series = series * u2 + 1.0 / 9;
        series = series * u2 + 1.0 / 7;
        series = series * u2 + 1.0 / 5;
        series = series * u2 + 1.0 / 3;
        series = series * u2 + 1.0;
        return e * LN2_DOUBLE + 2 * u * series;
    }

    /**
     * {@code e^r} for the reduced argument, {@code |r| <= ln2 / 2}: the one degree-6 polynomial,
     * in Horner form with the same fused operations the vector kernel performs lane by lane, so
     * the exp of softmax and of sigmoid give the same bits on both paths.
     */
    private static float expPolynomial(float r) {
        float p = Math.fma(C6, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        return Math.fma(p, r, 1f);
    }
}
