package io.github.flinksoftmax.kernel;

import static io.github.flinksoftmax.kernel.SoftmaxMath.C2;
import static io.github.flinksoftmax.kernel.SoftmaxMath.C3;
import static io.github.flinksoftmax.kernel.SoftmaxMath.C4;
import static io.github.flinksoftmax.kernel.SoftmaxMath.C5;
import static io.github.flinksoftmax.kernel.SoftmaxMath.C6;
import static io.github.flinksoftmax.kernel.SoftmaxMath.CUTOFF;
import static io.github.flinksoftmax.kernel.SoftmaxMath.LANES;
import static io.github.flinksoftmax.kernel.SoftmaxMath.LN2;
import static io.github.flinksoftmax.kernel.SoftmaxMath.LN2_HI;
import static io.github.flinksoftmax.kernel.SoftmaxMath.LN2_LO;
import static io.github.flinksoftmax.kernel.SoftmaxMath.LOG2E;
import static io.github.flinksoftmax.kernel.SoftmaxMath.SHIFTER;
import static io.github.flinksoftmax.kernel.SoftmaxMath.SIGMOID_CUTOFF;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and sigmoid with the incubating Vector API, bit-identical to {@link ScalarSoftmaxKernel}. Loaded
 * only by name (see {@link KernelProvider}) so that JVMs without {@code jdk.incubator.vector}
 * never link it. The width is the platform's preferred one unless the system property
 * {@code softmax.vector.bits} (128, 256 or 512) asks for another; it is read once, when the
 * class initialises, because the species must be a constant for the JIT to emit vector code.
 */
final class VectorSoftmaxKernel implements SoftmaxKernel {

    static final VectorSpecies<Float> SPECIES = species(System.getProperty("softmax.vector.bits"));
    private static final VectorSpecies<Integer> INT_SPECIES = SPECIES.withLanes(int.class);
    private static final int V = SPECIES.length();
    /** Vector registers that make up the 16 logical lanes of the sum: 1, 2 or 4. */
    private static final int ACC = Math.max(1, LANES / V);
    private static final VectorSpecies<Double> DOUBLE_SPECIES = SPECIES.withLanes(double.class);
    private static final VectorSpecies<Long> LONG_SPECIES = SPECIES.withLanes(long.class);
    private static final int ABS_BITS = 0x7FFF_FFFF;
    private static final int INFINITY_BITS = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final ScalarSoftmaxKernel scalar = new ScalarSoftmaxKernel();

    VectorSoftmaxKernel() {
        if (V < 4 || V > LANES) {
            throw new UnsupportedOperationException("vector width " + SPECIES.vectorBitSize()
                    + " bits is not supported (128, 256 or 512)");
        }
    }

    private static VectorSpecies<Float> species(String bits) {
        if (bits == null || bits.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        switch (bits.trim()) {
            case "128": return FloatVector.SPECIES_128;
            case "256": return FloatVector.SPECIES_256;
            case "512": return FloatVector.SPECIES_512;
            default: throw new IllegalArgumentException(
                    "softmax.vector.bits must be 128, 256 or 512, got '" + bits + "'");
        }
    }

    @Override
    public void softmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
        assert len > 0;
        float ext = extreme(src, srcOff, len, beta);
        float m = SoftmaxMath.shift(beta, ext);
        if (m != m) { // scaled logits beyond float range: rare, and the scalar route is the definition
            scalar.softmax(src, srcOff, dst, dstOff, len, beta);
            return;
        }
        float inv = 1f / expSum(src, srcOff, dst, dstOff, len, beta, m, true, SCRATCH.get().lanes);
        FloatVector vInv = FloatVector.broadcast(SPECIES, inv);
        int i = 0;
        for (int bound = SPECIES.loopBound(len); i < bound; i += V) {
            FloatVector.fromArray(SPECIES, dst, dstOff + i).mul(vInv).intoArray(dst, dstOff + i);
        }
        for (; i < len; i++) { // scalar tail: masked stores allocate on JDK 17
            dst[dstOff + i] *= inv;
        }
    }

    @Override
    public void logSoftmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
        assert len > 0;
        float ext = extreme(src, srcOff, len, beta);
        float m = SoftmaxMath.shift(beta, ext);
        if (m != m) {
            scalar.logSoftmax(src, srcOff, dst, dstOff, len, beta);
            return;
        }
        float logSum = SoftmaxMath.log(expSum(src, srcOff, dst, dstOff, len, beta, m, false, SCRATCH.get().lanes));
        FloatVector vBeta = FloatVector.broadcast(SPECIES, beta);
        FloatVector vNegM = FloatVector.broadcast(SPECIES, -m);
        FloatVector vLog = FloatVector.broadcast(SPECIES, logSum);
        FloatVector vMasked = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        // With logSum >= 0 every t - logSum is already <= 0, and with beta > 0 a masked entry's
        // t is -Infinity already: both checks are loop-invariant, so the JIT unswitches them away.
        boolean clamp = !(logSum >= 0f);
        boolean mask = !(beta > 0f);
        int i = 0;
        for (int bound = SPECIES.loopBound(len); i < bound; i += V) {
            FloatVector x = FloatVector.fromArray(SPECIES, src, srcOff + i);
            FloatVector out = x.fma(vBeta, vNegM).sub(vLog);
            if (clamp) {
                out = out.min(0f);
            }
            if (mask) {
                out = out.blend(vMasked, x.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            }
            out.intoArray(dst, dstOff + i);
        }
        for (; i < len; i++) {
            float x = src[srcOff + i];
            dst[dstOff + i] = x == Float.NEGATIVE_INFINITY
                    ? Float.NEGATIVE_INFINITY
                    : Math.min(SoftmaxMath.t(beta, x, m) - logSum, 0f);
        }
    }

    /**
     * {@link SoftmaxMath#sigmoid} lane-wise, operation for operation. The masked lanes are cleared
     * only for {@code beta <= 0}: with beta > 0 a masked entry's {@code e} is 0 and it is on the
     * negative side, so it comes out as +0 on its own (loop-invariant, unswitched by the JIT).
     */
    @Override
    public void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
        FloatVector vBeta = FloatVector.broadcast(SPECIES, beta);
        FloatVector vNegAbsBeta = FloatVector.broadcast(SPECIES, -Math.abs(beta));
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector negLn2Hi = FloatVector.broadcast(SPECIES, -LN2_HI);
        FloatVector negLn2Lo = FloatVector.broadcast(SPECIES, -LN2_LO);
        FloatVector c4 = FloatVector.broadcast(SPECIES, C4);
        FloatVector c3 = FloatVector.broadcast(SPECIES, C3);
        FloatVector c2 = FloatVector.broadcast(SPECIES, C2);
        boolean mask = !(beta > 0f);
        int i = 0;
        for (int bound = SPECIES.loopBound(len); i < bound; i += V) {
            FloatVector x = FloatVector.fromArray(SPECIES, src, srcOff + i);
            FloatVector ax = x.abs();
            FloatVector hi = ax.mul(vNegAbsBeta);
            FloatVector lo = vNegAbsBeta.fma(ax, hi.neg());
            FloatVector z = hi.fma(LOG2E, SHIFTER);
            FloatVector n = z.sub(SHIFTER);
            FloatVector r = n.fma(negLn2Hi, hi).add(n.fma(negLn2Lo, lo));
            FloatVector p = r.fma(C6, C5);
            p = p.fma(r, c4);
            p = p.fma(r, c3);
            p = p.fma(r, c2);
            p = p.fma(r, one);
            p = p.fma(r, one);
            FloatVector pow2 = z.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            // NaN (beta = 0 on a masked lane) fails GE as it fails the scalar test
            FloatVector e = zero.blend(p.mul(pow2), hi.compare(VectorOperators.GE, SIGMOID_CUTOFF));
            // SoftmaxMath.sigmoidOf
            FloatVector d = e.add(one);
            FloatVector dlo = e.sub(d.sub(one));
            FloatVector num = one.blend(e, x.mul(vBeta).compare(VectorOperators.LT, 0f));
            FloatVector rcp = one.div(d);
            FloatVector q = num.mul(rcp);
            FloatVector res = q.neg().fma(d, num).sub(q.mul(dlo));
            FloatVector out = res.fma(rcp, q);
            VectorMask<Float> keep = out.compare(VectorOperators.GE, Float.MIN_NORMAL);
            if (mask) {
                keep = keep.and(x.compare(VectorOperators.NE, Float.NEGATIVE_INFINITY));
            }
            zero.blend(out, keep).intoArray(dst, dstOff + i);
        }
        for (; i < len; i++) { // scalar tail: masked stores allocate on JDK 17
            dst[dstOff + i] = SoftmaxMath.sigmoid(beta, src[srcOff + i]);
        }
    }

    /**
     * Rows shorter than 16 have no vector-wide blocks, so row by row they would run the scalar exp.
     * Here the exponents of the whole block go to {@code dst} first, one vector exp runs across
     * row boundaries, and each row is then summed in index order (its logical order when it has
     * fewer than 16 entries): the same operations on the same values, hence the same bits.
     * Log-softmax keeps the exponents in {@code dst} and puts the exponentials in a scratch array,
     * a group of rows at a time, and takes the groups' logs in one vector loop: a row's log alone
     * is a chain of about 20 dependent double operations, longer than the rest of a short row.
     */
    @Override
    public void computeRows(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols, float beta,
            Activation activation) {
        int n = rows * cols;
        boolean log = activation == Activation.LOG_SOFTMAX;
        // the first pass writes row r of dst after reading row r of src: exact aliasing is safe
        boolean overlap = src == dst && srcOff < dstOff + n && dstOff < srcOff + n && srcOff != dstOff;
        // sigmoid and the identity run across rows in the default already
        if (!activation.needsUnmaskedEntry() || cols >= LANES || n < 2 * V || (log && overlap)) {
            SoftmaxKernel.super.computeRows(src, srcOff, dst, dstOff, rows, cols, beta, activation);
            return;
        }
        if (log) {
            logSoftmaxShortRows(src, srcOff, dst, dstOff, rows, cols, beta);
            return;
        }
        exponents(src, srcOff, dst, dstOff, rows, cols, beta);
        expInto(dst, dstOff, dst, dstOff, n);
        for (int r = 0; r < rows; r++) {
            int d = dstOff + r * cols;
            float inv = 1f / rowSum(dst, d, cols);
            for (int i = 0; i < cols; i++) {
                dst[d + i] *= inv;
            }
        }
    }

    private static void logSoftmaxShortRows(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols,
            float beta) {
        Scratch scratch = SCRATCH.get();
        int group = Scratch.SIZE / cols;
        for (int r0 = 0; r0 < rows; r0 += group) {
            int g = Math.min(group, rows - r0);
            int base = dstOff + r0 * cols;
            exponents(src, srcOff + r0 * cols, dst, base, g, cols, beta);
            expInto(dst, base, scratch.exps, 0, g * cols);
            for (int r = 0; r < g; r++) {
                scratch.logs[r] = rowSum(scratch.exps, r * cols, cols);
            }
            logInPlace(scratch.logs, g);
            for (int r = 0; r < g; r++) {
                int d = base + r * cols;
                float logSum = (float) scratch.logs[r];
                // as in logSoftmax; the exponent of a masked entry is -Infinity, +Infinity (beta < 0)
                // or NaN (beta = 0), and an unmasked one's is finite or an underflowed -Infinity
                if (logSum >= 0f && beta > 0f) {
                    for (int i = 0; i < cols; i++) {
                        dst[d + i] -= logSum;
                    }
                    continue;
                }
                for (int i = 0; i < cols; i++) {
                    float t = dst[d + i];
                    dst[d + i] = t > Float.NEGATIVE_INFINITY && t < Float.POSITIVE_INFINITY
                            ? Math.min(t - logSum, 0f)
                            : Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /** Each row's exponents {@code beta * x - m} (the route {@link ScalarSoftmaxKernel#t} picks) into {@code dst}. */
    private static void exponents(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols, float beta) {
        for (int r = 0; r < rows; r++) {
            int so = srcOff + r * cols;
            int d = dstOff + r * cols;
            float ext = ScalarSoftmaxKernel.extreme(src, so, cols, beta);
            float m = SoftmaxMath.shift(beta, ext);
            double mWide = (double) beta * ext;
            for (int i = 0; i < cols; i++) {
                dst[d + i] = ScalarSoftmaxKernel.t(beta, src[so + i], m, mWide);
            }
        }
    }

    /** A short row's sum, as the per-row route makes it: the (empty) lane tree, then the entries in double. */
    private static float rowSum(float[] e, int off, int len) {
        double tail = 0d;
        for (int i = 0; i < len; i++) {
            tail += e[off + i];
        }
        return (float) (0d + tail);
    }

    /** {@code a[i] = SoftmaxMath.logWide(a[i])} over {@code a[0, n)}, with the same double operations. */
    static void logInPlace(double[] a, int n) {
        int i = 0;
        for (int bound = DOUBLE_SPECIES.loopBound(n); i < bound; i += DOUBLE_SPECIES.length()) {
            LongVector bits = DoubleVector.fromArray(DOUBLE_SPECIES, a, i).reinterpretAsLongs();
            LongVector mantissa = bits.lanewise(VectorOperators.AND, SoftmaxMath.MANTISSA_BITS);
            // 1 where the mantissa is above sqrt(2)'s: that m is halved and the exponent raised
            LongVector big = LongVector.broadcast(LONG_SPECIES, SoftmaxMath.SQRT2_MANTISSA).sub(mantissa)
                    .lanewise(VectorOperators.LSHR, 63);
            DoubleVector m = mantissa.or(LongVector.broadcast(LONG_SPECIES, 0x3FFL).sub(big)
                    .lanewise(VectorOperators.LSHL, 52)).reinterpretAsDoubles();
            // the exponent as a double, exactly: 1.5 * 2^52 + e in the bits, then 1.5 * 2^52 off
            DoubleVector e = bits.lanewise(VectorOperators.LSHR, 52).add(big).add(0x4338000000000000L - 1023)
                    .reinterpretAsDoubles().sub(0x1.8p52);
            DoubleVector u = m.sub(1.0).div(m.add(1.0));
            DoubleVector u2 = u.mul(u);
            DoubleVector series = u2.mul(1.0 / 17).add(1.0 / 15);
            series = series.mul(u2).add(1.0 / 13);
            series = series.mul(u2).add(1.0 / 11);
            series = series.mul(u2).add(1.0 / 9);
            series = series.mul(u2).add(1.0 / 7);
            series = series.mul(u2).add(1.0 / 5);
            series = series.mul(u2).add(1.0 / 3);
            series = series.mul(u2).add(1.0);
            e.mul(SoftmaxMath.LN2_DOUBLE).add(u.mul(2.0).mul(series)).intoArray(a, i);
        }
        for (; i < n; i++) {
            a[i] = SoftmaxMath.logWide(a[i]);
        }
    }

    /** Per thread: exponentials of a group of short rows, and their sums, then logs; a long row's lane sums. */
    private static final class Scratch {
        static final int SIZE = 2048;
        final float[] exps = new float[SIZE];
        final double[] logs = new double[SIZE];
        final float[] lanes = new float[LANES];
    }

    /** {@code to[i] = SoftmaxMath.exp(from[i])} over a slice: the same operations as in {@link #expSum}. */
    private static void expInto(float[] from, int off, float[] to, int toOff, int len) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector negLn2 = FloatVector.broadcast(SPECIES, -LN2);
        FloatVector c4 = FloatVector.broadcast(SPECIES, C4);
        FloatVector c3 = FloatVector.broadcast(SPECIES, C3);
        FloatVector c2 = FloatVector.broadcast(SPECIES, C2);
        int i = 0;
        for (int bound = SPECIES.loopBound(len); i < bound; i += V) {
            FloatVector t = FloatVector.fromArray(SPECIES, from, off + i);
            FloatVector z = t.fma(LOG2E, SHIFTER);
            FloatVector n = z.sub(SHIFTER);
            FloatVector r = n.fma(negLn2, t);
            FloatVector p = r.fma(C6, C5);
            p = p.fma(r, c4);
            p = p.fma(r, c3);
            p = p.fma(r, c2);
            p = p.fma(r, one);
            p = p.fma(r, one);
            FloatVector pow2 = z.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            // both bounds: masked entries may carry +Infinity (beta < 0) or NaN (beta = 0) here
            VectorMask<Float> keep = t.compare(VectorOperators.GE, CUTOFF).and(t.compare(VectorOperators.LE, 0f));
            zero.blend(p.mul(pow2), keep).intoArray(to, toOff + i);
        }
        for (; i < len; i++) {
            to[toOff + i] = SoftmaxMath.exp(from[off + i]);
        }
    }

    /**
     * On the bit patterns as ints, two integer maxima per lane: with the sign cleared, only a NaN
     * lies above {@code +Infinity}'s pattern; with the sign kept, only {@code +Infinity} and
     * positive NaNs reach it ({@code -Infinity} and negative NaNs are negative ints).
     */
    @Override
    public boolean finiteOrMasked(float[] src, int off, int len) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        IntVector magnitude = IntVector.zero(INT_SPECIES);
        IntVector signed = IntVector.broadcast(INT_SPECIES, Integer.MIN_VALUE);
        for (; i < bound; i += V) {
            IntVector bits = FloatVector.fromArray(SPECIES, src, off + i).reinterpretAsInts();
            magnitude = magnitude.max(bits.and(ABS_BITS));
            signed = signed.max(bits);
        }
        int maxMagnitude = magnitude.reduceLanes(VectorOperators.MAX);
        int maxSigned = signed.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) {
            int bits = Float.floatToRawIntBits(src[off + i]);
            maxMagnitude = Math.max(maxMagnitude, bits & ABS_BITS);
            maxSigned = Math.max(maxSigned, bits);
        }
        return maxMagnitude <= INFINITY_BITS && maxSigned < INFINITY_BITS;
    }

    /**
     * As {@link ScalarSoftmaxKernel#extreme}, on the float bit patterns as ints: integer max and
     * min take one cycle where a float {@code max()} with Java's NaN and signed-zero rules costs
     * several dependent instructions. Inputs are NaN-free here, and {@link SoftmaxMath#shift}
     * folds -0 into +0, so the result does not depend on order or width.
     */
    private static float extreme(float[] src, int off, int len, float beta) {
        int i = 0;
        int bound = len - len % (2 * V);
        if (beta >= 0f) {
            // Non-negative floats order like their bits; negative ones reversed. So the largest
            // float is the largest bit pattern if that is >= 0, else the smallest one.
            IntVector hi0 = IntVector.broadcast(INT_SPECIES, Integer.MIN_VALUE);
            IntVector hi1 = hi0;
            IntVector lo0 = IntVector.broadcast(INT_SPECIES, Integer.MAX_VALUE);
            IntVector lo1 = lo0;
            for (; i < bound; i += 2 * V) {
                IntVector a = FloatVector.fromArray(SPECIES, src, off + i).reinterpretAsInts();
                IntVector b = FloatVector.fromArray(SPECIES, src, off + i + V).reinterpretAsInts();
                hi0 = hi0.max(a);
                lo0 = lo0.min(a);
                hi1 = hi1.max(b);
                lo1 = lo1.min(b);
            }
            float max = Float.NEGATIVE_INFINITY;
            if (i > 0) {
                int hi = hi0.max(hi1).reduceLanes(VectorOperators.MAX);
                max = Float.intBitsToFloat(hi >= 0 ? hi : lo0.min(lo1).reduceLanes(VectorOperators.MIN));
            }
            for (; i < len; i++) {
                max = Math.max(max, src[off + i]);
            }
            return max;
        }
        // beta < 0: the smallest unmasked input, on sortable keys (negative patterns flipped)
        FloatVector posInf = FloatVector.broadcast(SPECIES, Float.POSITIVE_INFINITY);
        IntVector k0 = IntVector.broadcast(INT_SPECIES, Integer.MAX_VALUE);
        IntVector k1 = k0;
        for (; i < bound; i += 2 * V) {
            FloatVector a = FloatVector.fromArray(SPECIES, src, off + i);
            FloatVector b = FloatVector.fromArray(SPECIES, src, off + i + V);
            IntVector ia = a.blend(posInf, a.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY)).reinterpretAsInts();
            IntVector ib = b.blend(posInf, b.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY)).reinterpretAsInts();
            k0 = k0.min(ia.lanewise(VectorOperators.XOR, ia.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fff_ffff)));
            k1 = k1.min(ib.lanewise(VectorOperators.XOR, ib.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fff_ffff)));
        }
        int key = k0.min(k1).reduceLanes(VectorOperators.MIN);
        float min = Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fff_ffff));
        for (; i < len; i++) {
            float x = src[off + i];
            min = x == Float.NEGATIVE_INFINITY ? min : Math.min(min, x);
        }
        return min;
    }

    /**
     * The exponentials of the row, summed in the logical 16-lane order and optionally stored.
     * Lane group k of a 16-element block goes to accumulator k; rotating the accumulators after
     * each vector keeps that mapping with one exp body in the loop (1, 2 or 4 accumulators for
     * 512, 256, 128 bits; ACC is a constant, so the JIT drops the unused branches). Each lane is
     * a Kahan sum: a plain float lane drifts by 1e-7 and more once a large term sits in it and
     * thousands of small ones follow, and three more additions per vector are cheaper than
     * widening to double. {@code l} is 16 floats of per-thread scratch for the lane sums; the caller
     * looks it up because with the {@code ThreadLocal} lookup in here, K = 1000 ran 1.6x slower on
     * JDK 17 (why was not pinned down).
     */
    private static float expSum(float[] src, int so, float[] dst, int doff, int len, float beta, float m,
            boolean store, float[] l) {
        FloatVector vBeta = FloatVector.broadcast(SPECIES, beta);
        FloatVector vNegM = FloatVector.broadcast(SPECIES, -m);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector negLn2 = FloatVector.broadcast(SPECIES, -LN2);
        FloatVector c4 = FloatVector.broadcast(SPECIES, C4);
        FloatVector c3 = FloatVector.broadcast(SPECIES, C3);
        FloatVector c2 = FloatVector.broadcast(SPECIES, C2);
        // only beta < 0 turns a masked -Infinity into a +Infinity exponent; NaN fails GE anyway
        boolean checkUpper = beta < 0f;
        FloatVector s0 = zero, s1 = zero, s2 = zero, s3 = zero; // lane sums
        FloatVector k0 = zero, k1 = zero, k2 = zero, k3 = zero; // their Kahan compensations
        int blocked = len - len % LANES;
        int i = 0;
        for (; i < blocked; i += V) {
            FloatVector t = FloatVector.fromArray(SPECIES, src, so + i).fma(vBeta, vNegM);
            // the exp body stays in the loop: a helper returning a vector is not always inlined
            FloatVector z = t.fma(LOG2E, SHIFTER);
            FloatVector n = z.sub(SHIFTER);
            FloatVector r = n.fma(negLn2, t);
            FloatVector p = r.fma(C6, C5);
            p = p.fma(r, c4);
            p = p.fma(r, c3);
            p = p.fma(r, c2);
            p = p.fma(r, one);
            p = p.fma(r, one);
            FloatVector pow2 = z.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            VectorMask<Float> keep = t.compare(VectorOperators.GE, CUTOFF);
            if (checkUpper) {
                keep = keep.and(t.compare(VectorOperators.LE, 0f));
            }
            FloatVector e = zero.blend(p.mul(pow2), keep);
            if (store) {
                e.intoArray(dst, doff + i);
            }
            FloatVector y = e.sub(k0);
            FloatVector sum = s0.add(y);
            FloatVector comp = sum.sub(s0).sub(y);
            if (ACC == 1) {
                s0 = sum;
                k0 = comp;
            } else if (ACC == 2) {
                s0 = s1;
                s1 = sum;
                k0 = k1;
                k1 = comp;
            } else {
                s0 = s1;
                s1 = s2;
                s2 = s3;
                s3 = sum;
                k0 = k1;
                k1 = k2;
                k2 = k3;
                k3 = comp;
            }
        }
        double tree = 0d;
        if (blocked > 0) {
            // Register k holds logical lanes k * V to k * V + V - 1, so stored side by side they are
            // the 16 lanes in order. Stored, not read with lane(i): on JDK 17, lane(i) calls a helper
            // that C2 leaves out of line when the call has run fewer than 250 times by compile time
            // (on long rows it has), and the vector is then boxed (97 bytes per call at K = 262,144).
            s0.sub(k0).intoArray(l, 0);
            if (ACC >= 2) {
                s1.sub(k1).intoArray(l, V);
            }
            if (ACC == 4) {
                s2.sub(k2).intoArray(l, 2 * V);
                s3.sub(k3).intoArray(l, 3 * V);
            }
            // lane j plus lane j + 8, then j + 4, j + 2, j + 1, in double: ScalarSoftmaxKernel.node's tree
            double a0 = (double) l[0] + l[8], a1 = (double) l[1] + l[9];
            double a2 = (double) l[2] + l[10], a3 = (double) l[3] + l[11];
            double a4 = (double) l[4] + l[12], a5 = (double) l[5] + l[13];
            double a6 = (double) l[6] + l[14], a7 = (double) l[7] + l[15];
            double b0 = a0 + a4, b1 = a1 + a5, b2 = a2 + a6, b3 = a3 + a7;
            tree = (b0 + b2) + (b1 + b3);
        }
        double tail = 0d;
        for (; i < len; i++) {
            float e = SoftmaxMath.exp(SoftmaxMath.t(beta, src[so + i], m));
            if (store) {
                dst[doff + i] = e;
            }
            tail += e;
        }
        return (float) (tree + tail);
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    @Override
    public int vectorBits() {
        return SPECIES.vectorBitSize();
    }
}
