package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;

/**
 * {@code LOG_SOFTMAX(logits ARRAY<FLOAT|DOUBLE> [, temperature DOUBLE])}: the natural log of
 * {@code SOFTMAX}, computed directly as {@code (z_i - max z) / T - log(sum)} by the job's kernel,
 * never as the log of a rounded probability; masked entries give {@code -Infinity}.
 */
public class LogSoftmaxSqlFunction extends DistributionFunction {

    private static final long serialVersionUID = 1L;

    /** Invalid rows as the job parameter {@value OnInvalid#JOB_PARAMETER} says, NULL by default. */
    public LogSoftmaxSqlFunction() {
        this(null);
    }

    public LogSoftmaxSqlFunction(OnInvalid onInvalid) {
        super("LOG_SOFTMAX", Activation.LOG_SOFTMAX, onInvalid);
    }
}
