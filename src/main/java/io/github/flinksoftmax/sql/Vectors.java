package io.github.flinksoftmax.sql;

/**
 * Flink's boxed SQL arrays to the kernel's {@code float[]} and back. A {@code NULL} element makes
 * the whole row {@code null} here (the caller applies {@link OnInvalid}).
 *
 * <p>DOUBLE logits are shifted by their largest entry in double before they are narrowed to float:
 * softmax and log-softmax do not change under a shift, and after it the largest entry is exactly 0
 * and the others are differences, so a finite double beyond float range still gives a finite
 * result (an entry more than 3.4e38 below the largest becomes {@code -Infinity}, which has
 * probability 0 as it would in double). What is lost is the differences' rounding to float.
 */
final class Vectors {

    private Vectors() {}

    /** The entries as floats, or {@code null} when one is NULL. */
    static float[] fromFloats(Float[] in) {
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            Float v = in[i];
            if (v == null) {
                return null;
            }
            out[i] = v;
        }
        return out;
    }

    /** The entries narrowed to floats as they are, or {@code null} when one is NULL. */
    static float[] fromDoubles(Double[] in) {
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            Double v = in[i];
            if (v == null) {
                return null;
            }
            out[i] = (float) v.doubleValue();
        }
        return out;
    }

    /**
     * The entries minus their largest finite one, narrowed to floats; {@code null} when one is
     * NULL. NaN, {@code +Infinity} and {@code -Infinity} pass unchanged so validation sees them.
     */
    static float[] fromDoublesShifted(Double[] in) {
        double max = Double.NEGATIVE_INFINITY;
        for (Double v : in) {
            if (v == null) {
                return null;
            }
            if (Double.isFinite(v)) {
                max = Math.max(max, v);
            }
        }
        double shift = max == Double.NEGATIVE_INFINITY ? 0 : max;
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            double v = in[i];
            out[i] = (float) (Double.isFinite(v) ? v - shift : v);
        }
        return out;
    }

    /**
     * The entries clamped into float range when finite, narrowed to floats; {@code null} when one
     * is NULL. For the element-wise sigmoid, which has no shift to hide behind and is saturated
     * (0 or 1 in float) long before 3.4e38.
     */
    static float[] fromDoublesClamped(Double[] in) {
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            Double v = in[i];
            if (v == null) {
                return null;
            }
            double x = v;
            out[i] = (float) (Double.isFinite(x) ? Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, x)) : x);
        }
        return out;
    }

    /** The floats widened to doubles, exactly. */
    static double[] widen(float[] in) {
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i];
        }
        return out;
    }
}
