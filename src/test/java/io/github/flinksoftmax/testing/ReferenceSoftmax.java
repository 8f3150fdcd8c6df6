package io.github.flinksoftmax.testing;

/**
 * The double-precision softmax every test compares against, kernel and job tests alike: the
 * textbook formula with the maximum subtracted, {@code beta * x} exact in double from the float
 * inputs, masked ({@code -Infinity}) entries at exactly 0 (log: {@code -Infinity}). Also the
 * logistic function, the reference of the {@code sigmoid} activation.
 */
public final class ReferenceSoftmax {

    private ReferenceSoftmax() {}

    /** Softmax, or log-softmax with {@code log}, of {@code x[off, off + len)}. */
    public static double[] of(float[] x, int off, int len, double beta, boolean log) {
        double[] wide = new double[len];
        for (int i = 0; i < len; i++) {
            wide[i] = x[off + i]; // exact
        }
        return of(wide, beta, log);
    }

    /** Softmax, or log-softmax with {@code log}, of double inputs (the SQL functions take DOUBLE arrays). */
    public static double[] of(double[] x, double beta, boolean log) {
        int len = x.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            if (x[i] != Double.NEGATIVE_INFINITY) {
                max = Math.max(max, beta * x[i]);
            }
        }
        double sum = 0;
        for (int i = 0; i < len; i++) {
            if (x[i] != Double.NEGATIVE_INFINITY) {
                sum += Math.exp(beta * x[i] - max);
            }
        }
        double logSum = Math.log(sum);
        double[] out = new double[len];
        for (int i = 0; i < len; i++) {
            double xi = x[i];
            if (xi == Double.NEGATIVE_INFINITY) {
                out[i] = log ? Double.NEGATIVE_INFINITY : 0;
            } else {
                double t = beta * xi - max;
                out[i] = log ? t - logSum : Math.exp(t) / sum;
            }
        }
        return out;
    }

    public static double[] softmax(float[] z, double beta) {
        return of(z, 0, z.length, beta, false);
    }

    public static double[] logSoftmax(float[] z, double beta) {
        return of(z, 0, z.length, beta, true);
    }

    /** {@code 1 / (1 + exp(-beta * z_i))} of each entry on its own, in double; masked entries exactly 0. */
    public static double[] sigmoid(float[] z, double beta) {
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = z[i] == Float.NEGATIVE_INFINITY ? 0 : 1 / (1 + Math.exp(-(beta * z[i])));
        }
        return out;
    }
}
