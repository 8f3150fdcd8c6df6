package io.github.flinksoftmax.kernel;

import static io.github.flinksoftmax.kernel.SoftmaxMath.C2;
import static io.github.flinksoftmax.kernel.SoftmaxMath.C3;
import static io.github.flinksoftmax.kernel.SoftmaxMath.C4;
import static io.github.flinksoftmax.kernel.SoftmaxMath.C5;
import static io.github.flinksoftmax.kernel.SoftmaxMath.C6;
import static io.github.flinksoftmax.kernel.SoftmaxMath.CUTOFF;
import static io.github.flinksoftmax.kernel.SoftmaxMath.LANES;
import static io.github.flinksoftmax.kernel.SoftmaxMath.LN2;
import static io.github.flinksoftmax.kernel.SoftmaxMath.LOG2E;
import static io.github.flinksoftmax.kernel.SoftmaxMath.SHIFTER;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax with the incubating Vector API, bit-identical to {@link ScalarSoftmaxKernel}. Loaded
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

    private static final VectorShuffle<Float> NEXT_8 = VectorShuffle.iota(SPECIES, 8 % V, 1, true);
    private static final VectorShuffle<Float> NEXT_4 = VectorShuffle.iota(SPECIES, 4 % V, 1, true);
    private static final VectorShuffle<Float> NEXT_2 = VectorShuffle.iota(SPECIES, 2, 1, true);
    private static final VectorShuffle<Float> NEXT_1 = VectorShuffle.iota(SPECIES, 1, 1, true);

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
        float inv = 1f / expSum(src, srcOff, dst, dstOff, len, beta, m, true);
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
        float logSum = SoftmaxMath.log(expSum(src, srcOff, dst, dstOff, len, beta, m, false));
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
     * Rows shorter than 16 have no vector-wide blocks, so row by row they would run the scalar exp.
     * Here the exponents of the whole block go to {@code dst} first, one vector exp runs across
     * row boundaries, and each row is then summed in index order (its logical order when it has
     * fewer than 16 entries): the same operations on the same values, hence the same bits.
     */
    @Override
    public void computeRows(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols, float beta,
            boolean log) {
        int n = rows * cols;
        // log-softmax reads the inputs again at the end, so it cannot share memory with the output
        boolean overlap = src == dst && srcOff < dstOff + n && dstOff < srcOff + n;
        if (cols >= LANES || n < 2 * V || (log && overlap)) {
            SoftmaxKernel.super.computeRows(src, srcOff, dst, dstOff, rows, cols, beta, log);
            return;
        }
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
        expInPlace(dst, dstOff, n);
        for (int r = 0; r < rows; r++) {
            int d = dstOff + r * cols;
            float tail = 0f;
            for (int i = 0; i < cols; i++) {
                tail += dst[d + i];
            }
            float sum = 0f + tail; // the per-row route adds the (empty) lane tree first
            if (!log) {
                float inv = 1f / sum;
                for (int i = 0; i < cols; i++) {
                    dst[d + i] *= inv;
                }
                continue;
            }
            int so = srcOff + r * cols;
            float ext = ScalarSoftmaxKernel.extreme(src, so, cols, beta);
            float m = SoftmaxMath.shift(beta, ext);
            double mWide = (double) beta * ext;
            float logSum = SoftmaxMath.log(sum);
            if (logSum >= 0f && beta > 0f) { // as in logSoftmax: no clamp, masked t is already -Infinity
                for (int i = 0; i < cols; i++) {
                    dst[d + i] = ScalarSoftmaxKernel.t(beta, src[so + i], m, mWide) - logSum;
                }
                continue;
            }
            for (int i = 0; i < cols; i++) {
                float x = src[so + i];
                dst[d + i] = x == Float.NEGATIVE_INFINITY
                        ? Float.NEGATIVE_INFINITY
                        : Math.min(ScalarSoftmaxKernel.t(beta, x, m, mWide) - logSum, 0f);
            }
        }
    }

    /** {@code a[i] = SoftmaxMath.exp(a[i])} over a slice: the same operations as in {@link #expSum}. */
    private static void expInPlace(float[] a, int off, int len) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector negLn2 = FloatVector.broadcast(SPECIES, -LN2);
        FloatVector c4 = FloatVector.broadcast(SPECIES, C4);
        FloatVector c3 = FloatVector.broadcast(SPECIES, C3);
        FloatVector c2 = FloatVector.broadcast(SPECIES, C2);
        int i = 0;
        for (int bound = SPECIES.loopBound(len); i < bound; i += V) {
            FloatVector t = FloatVector.fromArray(SPECIES, a, off + i);
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
            zero.blend(p.mul(pow2), keep).intoArray(a, off + i);
        }
        for (; i < len; i++) {
            a[off + i] = SoftmaxMath.exp(a[off + i]);
        }
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
     * widening to double.
     */
    private static float expSum(float[] src, int so, float[] dst, int doff, int len, float beta, float m,
            boolean store) {
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
        float tree = 0f;
        if (blocked > 0) {
            // Lane j plus lane j + 8, then j + 4, j + 2, j + 1: the tree of ScalarSoftmaxKernel.node.
            // Written here, not in a helper: vectors passed to a method the JIT leaves out of line
            // are boxed, which showed up as 384 bytes per call on long rows.
            FloatVector u;
            if (ACC == 4) {        // registers hold lanes 0-3 | 4-7 | 8-11 | 12-15
                u = s0.sub(k0).add(s2.sub(k2)).add(s1.sub(k1).add(s3.sub(k3)));
            } else if (ACC == 2) { // lanes 0-7 | 8-15
                u = s0.sub(k0).add(s1.sub(k1));
            } else {
                u = s0.sub(k0);
                u = u.add(u.rearrange(NEXT_8));
            }
            if (V >= 8) {
                u = u.add(u.rearrange(NEXT_4));
            }
            u = u.add(u.rearrange(NEXT_2));
            u = u.add(u.rearrange(NEXT_1));
            tree = u.lane(0);
        }
        float tail = 0f;
        for (; i < len; i++) {
            float e = SoftmaxMath.exp(SoftmaxMath.t(beta, src[so + i], m));
            if (store) {
                dst[doff + i] = e;
            }
            tail += e;
        }
        return tree + tail;
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
