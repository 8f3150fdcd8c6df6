package io.github.flinksoftmax.postprocess;

import java.io.Serializable;
import java.util.List;

/**
 * The per-class thresholds of {@code sigmoid.thresholds}: one value for every class, or one per
 * class. A class is above its threshold when its probability is strictly greater, so a masked
 * class (probability exactly 0) is never above one, not even a threshold of 0. {@link #NONE} when
 * the option is unset: rows then carry no above-threshold list.
 */
public final class Thresholds implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final Thresholds NONE = new Thresholds(new float[0]);

    private final float[] values;

    private Thresholds(float[] values) {
        this.values = values;
    }

    /** @param values one threshold for every class, or one per class; each from 0 to 1 */
    public static Thresholds of(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            double v = values.get(i);
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("sigmoid.thresholds[" + i + "] is " + v + "; expected 0 to 1");
            }
            out[i] = (float) v;
        }
        return new Thresholds(out);
    }

    public boolean isSet() {
        return values.length > 0;
    }

    /** How many classes the thresholds are for: 0 when one threshold is for every class (or none is set). */
    public int perClass() {
        return values.length > 1 ? values.length : 0;
    }

    /** Whether a row of {@code classes} entries has a threshold for each. */
    public boolean fits(int classes) {
        return values.length <= 1 || values.length == classes;
    }

    /** The threshold of class {@code index}; the row must {@link #fits fit}. */
    public float of(int index) {
        return values.length == 1 ? values[0] : values[index];
    }
}
