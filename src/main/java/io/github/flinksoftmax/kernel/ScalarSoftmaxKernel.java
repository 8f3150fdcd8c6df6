package io.github.flinksoftmax.kernel;

import static io.github.flinksoftmax.kernel.SoftmaxMath.LANES;

/**
 * Plain-Java softmax (and sigmoid, entry by entry through {@link SoftmaxMath#sigmoid}): the
 * fallback where {@code jdk.incubator.vector} is absent, and the definition the vector kernel
 * reproduces bit for bit. Three passes per softmax row (extreme, exp and sum, scale); the exp is
 * {@link SoftmaxMath#exp}, not {@code Math.exp}, and the sum follows the logical 16-lane order of
 * {@link SoftmaxMath#LANES}, so the output does not depend on which kernel or vector width ran.
 * Stateless and thread-safe.
 */
public final class ScalarSoftmaxKernel implements SoftmaxKernel {

    @Override
    public void softmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
        assert len > 0;
        float ext = extreme(src, srcOff, len, beta);
        float m = SoftmaxMath.shift(beta, ext);
        float sum = expSum(src, srcOff, dst, dstOff, len, beta, m, (double) beta * ext, true);
        float inv = 1f / sum;
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] *= inv;
        }
    }

    @Override
    public void logSoftmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
        assert len > 0;
        float ext = extreme(src, srcOff, len, beta);
        float m = SoftmaxMath.shift(beta, ext);
        double mWide = (double) beta * ext;
        // no store: src and dst may be the same slice, and the exponents are recomputed below
        float logSum = SoftmaxMath.log(expSum(src, srcOff, dst, dstOff, len, beta, m, mWide, false));
        for (int i = 0; i < len; i++) {
            float x = src[srcOff + i];
            // min: a shift rounded up can leave the sum just below 1 and the top entry a hair above 0
            dst[dstOff + i] = x == Float.NEGATIVE_INFINITY
                    ? Float.NEGATIVE_INFINITY
                    : Math.min(t(beta, x, m, mWide) - logSum, 0f);
        }
    }

    @Override
    public void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = SoftmaxMath.sigmoid(beta, src[srcOff + i]);
        }
    }

    /**
     * The unmasked input whose scaled value is largest: the maximum for {@code beta >= 0}, the
     * minimum ignoring {@code -Infinity} for {@code beta < 0}. Float multiplication is monotone,
     * so scaling one extreme equals taking the extreme of the scaled values.
     */
    static float extreme(float[] src, int off, int len, float beta) {
        if (beta >= 0f) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                max = Math.max(max, src[off + i]);
            }
            return max;
        }
        float min = Float.POSITIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            float x = src[off + i];
            min = x == Float.NEGATIVE_INFINITY ? min : Math.min(min, x);
        }
        return min;
    }

    /** The exponent of one entry, on the usual route or (when {@code m} is NaN) the wide one. */
    static float t(float beta, float x, float m, double mWide) {
        return m == m ? SoftmaxMath.t(beta, x, m) : SoftmaxMath.wideT(beta, x, mWide);
    }

    /**
     * Sum of the row's exponentials in the logical order (lane sums combined by a fixed tree,
     * then the tail), optionally storing each exponential in {@code dst}. The tree and the tail
     * add in double and round once: in float, a short row's few additions to its largest term
     * each rounded at that term's ulp and drifted a row sum to 3.6e-7 (found by jqwik).
     */
    static float expSum(float[] src, int so, float[] dst, int doff, int len, float beta, float m,
            double mWide, boolean store) {
        int blocked = len - len % LANES;
        double tree = blocked == 0 ? 0d : node(src, so, dst, doff, blocked, beta, m, mWide, store, 0, 1);
        double tail = 0d;
        for (int i = blocked; i < len; i++) {
            float e = SoftmaxMath.exp(t(beta, src[so + i], m, mWide));
            if (store) {
                dst[doff + i] = e;
            }
            tail += e;
        }
        return (float) (tree + tail);
    }

    /**
     * Node of the reduction tree over the 16 lanes: {@code node(j, h) = node(j, 2h) + node(j + h, 2h)}
     * with leaves at {@code h = 16}, in double; the vector kernel adds lane j to lane j + 8, then
     * j + 4, j + 2, j + 1 in the same order.
     */
    private static double node(float[] src, int so, float[] dst, int doff, int blocked, float beta, float m,
            double mWide, boolean store, int lane, int h) {
        if (h == LANES) {
            return laneSum(src, so, dst, doff, blocked, beta, m, mWide, store, lane);
        }
        return node(src, so, dst, doff, blocked, beta, m, mWide, store, lane, 2 * h)
                + node(src, so, dst, doff, blocked, beta, m, mWide, store, lane + h, 2 * h);
    }

    /** One logical lane: a Kahan sum of every 16th exponential, returned as sum minus compensation. */
    private static float laneSum(float[] src, int so, float[] dst, int doff, int blocked, float beta, float m,
            double mWide, boolean store, int lane) {
        float sum = 0f;
        float comp = 0f;
        for (int i = lane; i < blocked; i += LANES) {
            float e = SoftmaxMath.exp(t(beta, src[so + i], m, mWide));
            if (store) {
                dst[doff + i] = e;
            }
            float y = e - comp;
            float next = sum + y;
            comp = (next - sum) - y;
            sum = next;
        }
        return sum - comp;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
