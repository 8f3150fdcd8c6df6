package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;

/**
 * {@code SOFTMAX(logits ARRAY<FLOAT|DOUBLE> [, temperature DOUBLE])}: the probabilities
 * {@code exp((z_i - max z) / T) / sum_j exp((z_j - max z) / T)}, computed by the job's kernel, as
 * an array of the input's element type. {@code -Infinity} entries are masked (probability exactly
 * 0); a NULL array or temperature gives NULL; see docs/sql.md for invalid rows.
 */
public class SoftmaxSqlFunction extends DistributionFunction {

    private static final long serialVersionUID = 1L;

    /** Invalid rows as the job parameter {@value OnInvalid#JOB_PARAMETER} says, NULL by default. */
    public SoftmaxSqlFunction() {
        this(null);
    }

    public SoftmaxSqlFunction(OnInvalid onInvalid) {
        super("SOFTMAX", Activation.SOFTMAX, onInvalid);
    }
}
