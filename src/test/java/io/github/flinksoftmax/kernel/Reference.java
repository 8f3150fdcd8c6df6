package io.github.flinksoftmax.kernel;

import io.github.flinksoftmax.testing.ReferenceSoftmax;

/** Softmax in double precision from the exact scaled logits: what the float kernels are judged against. */
final class Reference {

    private Reference() {}

    /** {@code exp(beta*x_i - max)/sum} (or its log), with {@code beta * x} exact in double. */
    static double[] softmax(float[] x, int off, int len, float beta, boolean log) {
        return ReferenceSoftmax.of(x, off, len, beta, log);
    }

    /** The log of the reference row's normaliser, {@code log sum exp(beta*x - max)}. */
    static double logSum(float[] x, int off, int len, float beta) {
        double[] logp = softmax(x, off, len, beta, true);
        for (int i = 0; i < len; i++) {
            if (x[off + i] != Float.NEGATIVE_INFINITY) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    if (x[off + j] != Float.NEGATIVE_INFINITY) {
                        max = Math.max(max, (double) beta * x[off + j]);
                    }
                }
                return (double) beta * x[off + i] - max - logp[i];
            }
        }
        throw new IllegalArgumentException("all masked");
    }

    /** {@code 1 / (1 + exp(-beta * x))} from the exact product; 0 for a masked entry. */
    static double sigmoid(float x, float beta) {
        return x == Float.NEGATIVE_INFINITY ? 0 : 1 / (1 + Math.exp(-((double) beta * x)));
    }
}
