package io.github.flinksoftmax.kernel;

/** Softmax in double precision from the exact scaled logits: what the float kernels are judged against. */
final class Reference {

    private Reference() {}

    /** {@code exp(beta*x_i - max)/sum} (or its log), with {@code beta * x} exact in double. */
    static double[] softmax(float[] x, int off, int len, float beta, boolean log) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            if (x[off + i] != Float.NEGATIVE_INFINITY) {
                max = Math.max(max, (double) beta * x[off + i]);
            }
        }
        double sum = 0;
        for (int i = 0; i < len; i++) {
            if (x[off + i] != Float.NEGATIVE_INFINITY) {
                sum += Math.exp((double) beta * x[off + i] - max);
            }
        }
        double logSum = Math.log(sum);
        double[] out = new double[len];
        for (int i = 0; i < len; i++) {
            float xi = x[off + i];
            if (xi == Float.NEGATIVE_INFINITY) {
                out[i] = log ? Double.NEGATIVE_INFINITY : 0;
            } else {
                double t = (double) beta * xi - max;
                out[i] = log ? t - logSum : Math.exp(t) / sum;
            }
        }
        return out;
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
}
