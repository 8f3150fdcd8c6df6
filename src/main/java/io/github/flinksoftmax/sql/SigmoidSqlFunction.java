package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;

/**
 * {@code SIGMOID(logits ARRAY<FLOAT|DOUBLE> [, temperature DOUBLE])}: the logistic function
 * {@code 1 / (1 + exp(-z_i / T))} of each entry, for multi-label heads. Computed by the job's
 * kernel ({@link Activation#SIGMOID}, within 4 ulp of a double reference), with its rules:
 * {@code -Infinity} gives exactly 0, NaN and {@code +Infinity} make the row invalid.
 * Element-wise, so an empty array gives an empty array.
 */
public class SigmoidSqlFunction extends ActivationFunction {

    private static final long serialVersionUID = 1L;

    /** Invalid rows as the job parameter {@value OnInvalid#JOB_PARAMETER} says, NULL by default. */
    public SigmoidSqlFunction() {
        this(null);
    }

    public SigmoidSqlFunction(OnInvalid onInvalid) {
        super("SIGMOID", Activation.SIGMOID, onInvalid);
    }
}
