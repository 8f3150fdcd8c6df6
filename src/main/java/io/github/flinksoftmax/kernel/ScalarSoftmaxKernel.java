package io.github.flinksoftmax.kernel;

/**
 * Plain-Java softmax: the reference path, used where {@code jdk.incubator.vector} is absent.
 * Three passes per row (max, exp and sum, scale) keep every exponent at or below zero, so
 * nothing overflows; the sum is kept in double so long rows do not drift.
 */
public final class ScalarSoftmaxKernel implements SoftmaxKernel {

    @Override
    public void softmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
        float max = scaledMax(src, srcOff, len, beta);
        double sum = 0;
        for (int i = 0; i < len; i++) {
            float x = src[srcOff + i];
            float e = x == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(beta * x - max);
            dst[dstOff + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] *= inv;
        }
    }

    @Override
    public void logSoftmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta) {
        float max = scaledMax(src, srcOff, len, beta);
        double sum = 0;
        for (int i = 0; i < len; i++) {
            float x = src[srcOff + i];
            if (x != Float.NEGATIVE_INFINITY) {
                sum += Math.exp(beta * x - max);
            }
        }
        float logSum = (float) Math.log(sum);
        for (int i = 0; i < len; i++) {
            float x = src[srcOff + i];
            dst[dstOff + i] =
                    x == Float.NEGATIVE_INFINITY ? Float.NEGATIVE_INFINITY : (beta * x - max) - logSum;
        }
    }

    /** The largest {@code beta * x} over unmasked entries; masked entries never win, whatever beta's sign. */
    private static float scaledMax(float[] src, int off, int len, float beta) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            float x = src[off + i];
            if (x != Float.NEGATIVE_INFINITY) {
                max = Math.max(max, beta * x);
            }
        }
        return max;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
