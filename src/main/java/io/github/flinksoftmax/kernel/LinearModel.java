package io.github.flinksoftmax.kernel;

import java.io.Serializable;

/**
 * The weights of a linear model, {@code z = W x + b}: {@code W} with {@code classes} rows of
 * {@code features} entries, row-major (scikit-learn's {@code coef_} layout), and {@code b} with one
 * entry per class ({@code intercept_}). Checked once when built: the shapes agree and every
 * weight is finite, so kernels can assume both. Immutable once built (the arrays are copied in and
 * never handed out), hence thread-safe; serializable so a Flink operator can carry it.
 */
public final class LinearModel implements Serializable {

    private static final long serialVersionUID = 1L;

    private final float[] weights;
    private final float[] bias;
    private final int classes;
    private final int features;

    /**
     * @throws IllegalArgumentException naming the first problem: a non-positive dimension, arrays of
     *     the wrong length, or a NaN or infinite weight or bias (with its class and feature)
     */
    public LinearModel(float[] weights, float[] bias, int classes, int features) {
        if (classes < 1 || features < 1) {
            throw new IllegalArgumentException("a linear model needs at least one class and one feature; got "
                    + classes + " x " + features);
        }
        if ((long) classes * features != weights.length) {
            throw new IllegalArgumentException("the weights hold " + weights.length + " values; a " + classes
                    + " x " + features + " model needs " + (long) classes * features);
        }
        if (bias.length != classes) {
            throw new IllegalArgumentException("the intercept holds " + bias.length + " values; expected one per class ("
                    + classes + ")");
        }
        for (int i = 0; i < weights.length; i++) {
            if (!Float.isFinite(weights[i])) {
                throw new IllegalArgumentException("weight [" + i / features + ", " + i % features + "] is "
                        + weights[i] + "; every weight must be finite");
            }
        }
        for (int j = 0; j < classes; j++) {
            if (!Float.isFinite(bias[j])) {
                throw new IllegalArgumentException("intercept [" + j + "] is " + bias[j] + "; it must be finite");
            }
        }
        this.weights = weights.clone();
        this.bias = bias.clone();
        this.classes = classes;
        this.features = features;
    }

    /** K, the number of scores per input row. */
    public int classes() {
        return classes;
    }

    /** D, the length of every feature vector. */
    public int features() {
        return features;
    }

    /** {@code W[j][i]}, for tests and diagnostics (kernels read the array directly). */
    public float weight(int j, int i) {
        return weights[j * features + i];
    }

    /** {@code b[j]}. */
    public float bias(int j) {
        return bias[j];
    }

    float[] weights() {
        return weights;
    }

    float[] biasArray() {
        return bias;
    }
}
