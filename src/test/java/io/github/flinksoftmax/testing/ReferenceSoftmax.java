package io.github.flinksoftmax.testing;

/**
 * The double-precision softmax every test compares against: the textbook formula with the
 * maximum subtracted, computed in double from the float inputs, masked entries at exactly 0.
 */
public final class ReferenceSoftmax {

    private ReferenceSoftmax() {}

    public static double[] softmax(float[] z, double beta) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : z) {
            if (x != Float.NEGATIVE_INFINITY) {
                max = Math.max(max, beta * x);
            }
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = z[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(beta * z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    public static double[] logSoftmax(float[] z, double beta) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : z) {
            if (x != Float.NEGATIVE_INFINITY) {
                max = Math.max(max, beta * x);
            }
        }
        double sum = 0;
        for (float x : z) {
            if (x != Float.NEGATIVE_INFINITY) {
                sum += Math.exp(beta * x - max);
            }
        }
        double logSum = Math.log(sum);
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = z[i] == Float.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : beta * z[i] - max - logSum;
        }
        return out;
    }
}
