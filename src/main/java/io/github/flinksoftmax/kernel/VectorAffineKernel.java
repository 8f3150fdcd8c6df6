package io.github.flinksoftmax.kernel;

import static io.github.flinksoftmax.kernel.SoftmaxMath.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code W x + b} with the incubating Vector API, bit-identical to {@link ScalarAffineKernel}.
 * Loaded only by name (see {@link KernelProvider}); the width is {@link VectorSoftmaxKernel}'s
 * (the platform's preferred one, or {@code softmax.vector.bits}). Four classes are computed at
 * once: they share each load of {@code x}, and four independent chains of fused multiply-adds hide
 * the latency a single 512-bit accumulator would wait on; the order within each class is still
 * {@link AffineMath}'s, so the bits do not depend on how many classes run together.
 */
final class VectorAffineKernel implements AffineKernel {

    private static final VectorSpecies<Float> SPECIES = VectorSoftmaxKernel.SPECIES;
    private static final int V = SPECIES.length();
    /** Vector registers that make up the 16 logical lanes of one class: 1, 2 or 4. */
    private static final int ACC = Math.max(1, LANES / V);
    private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);

    VectorAffineKernel() {
        if (V < 4 || V > LANES) {
            throw new UnsupportedOperationException("vector width " + SPECIES.vectorBitSize()
                    + " bits is not supported (128, 256 or 512)");
        }
    }

    @Override
    public void apply(float[] w, float[] b, int k, int d, float[] x, int xOff, float[] z, int zOff, int rows) {
        float[] l = LANE_SCRATCH.get();
        int blocked = d - d % LANES;
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * d;
            int zo = zOff + r * k;
            int j = 0;
            for (; j + 4 <= k; j += 4) {
                four(w, b, j, d, blocked, x, xo, z, zo, l);
            }
            for (; j < k; j++) {
                one(w, b, j, d, blocked, x, xo, z, zo, l);
            }
        }
    }

    /**
     * Classes {@code j} to {@code j + 3}. Each class's registers rotate after every vector so that
     * register 0 always holds the logical lanes the next vector of features belongs to (as in
     * {@code VectorSoftmaxKernel.expSum}); after a whole number of 16-feature blocks register
     * {@code a} holds lanes {@code a * V} to {@code a * V + V - 1}.
     */
    private static void four(float[] w, float[] b, int j, int d, int blocked, float[] x, int xo, float[] z, int zo,
            float[] l) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero; // class j
        FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero; // class j + 1
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero; // class j + 2
        FloatVector e0 = zero, e1 = zero, e2 = zero, e3 = zero; // class j + 3
        int w0 = j * d, w1 = w0 + d, w2 = w1 + d, w3 = w2 + d;
        for (int i = 0; i < blocked; i += V) {
            FloatVector xv = FloatVector.fromArray(SPECIES, x, xo + i);
            FloatVector sa = FloatVector.fromArray(SPECIES, w, w0 + i).fma(xv, a0);
            FloatVector sb = FloatVector.fromArray(SPECIES, w, w1 + i).fma(xv, b0);
            FloatVector sc = FloatVector.fromArray(SPECIES, w, w2 + i).fma(xv, c0);
            FloatVector se = FloatVector.fromArray(SPECIES, w, w3 + i).fma(xv, e0);
            // ACC is a constant: the JIT keeps one branch
            if (ACC == 1) {
                a0 = sa;
                b0 = sb;
                c0 = sc;
                e0 = se;
            } else if (ACC == 2) {
                a0 = a1;
                a1 = sa;
                b0 = b1;
                b1 = sb;
                c0 = c1;
                c1 = sc;
                e0 = e1;
                e1 = se;
            } else {
                a0 = a1;
                a1 = a2;
                a2 = a3;
                a3 = sa;
                b0 = b1;
                b1 = b2;
                b2 = b3;
                b3 = sb;
                c0 = c1;
                c1 = c2;
                c2 = c3;
                c3 = sc;
                e0 = e1;
                e1 = e2;
                e2 = e3;
                e3 = se;
            }
        }
        z[zo + j] = finish(a0, a1, a2, a3, w, w0, x, xo, blocked, d, b[j], l);
        z[zo + j + 1] = finish(b0, b1, b2, b3, w, w1, x, xo, blocked, d, b[j + 1], l);
        z[zo + j + 2] = finish(c0, c1, c2, c3, w, w2, x, xo, blocked, d, b[j + 2], l);
        z[zo + j + 3] = finish(e0, e1, e2, e3, w, w3, x, xo, blocked, d, b[j + 3], l);
    }

    /** One class, for the last {@code k % 4}. */
    private static void one(float[] w, float[] b, int j, int d, int blocked, float[] x, int xo, float[] z, int zo,
            float[] l) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero;
        int w0 = j * d;
        for (int i = 0; i < blocked; i += V) {
            FloatVector sa = FloatVector.fromArray(SPECIES, w, w0 + i).fma(FloatVector.fromArray(SPECIES, x, xo + i), a0);
            if (ACC == 1) {
                a0 = sa;
            } else if (ACC == 2) {
                a0 = a1;
                a1 = sa;
            } else {
                a0 = a1;
                a1 = a2;
                a2 = a3;
                a3 = sa;
            }
        }
        z[zo + j] = finish(a0, a1, a2, a3, w, w0, x, xo, blocked, d, b[j], l);
    }

    /** Stores the registers as the 16 lanes in order (stored, not read with lane(i): see expSum) and finishes. */
    private static float finish(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3, float[] w, int wo,
            float[] x, int xo, int blocked, int d, float bias, float[] l) {
        if (blocked > 0) {
            s0.intoArray(l, 0);
            if (ACC >= 2) {
                s1.intoArray(l, V);
            }
            if (ACC == 4) {
                s2.intoArray(l, 2 * V);
                s3.intoArray(l, 3 * V);
            }
        }
        return AffineMath.finish(l, w, wo, x, xo, blocked, d, bias);
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
