package io.github.flinksoftmax.kernel;

/**
 * What the kernel turns a row of scores into. {@link #SOFTMAX} and {@link #LOG_SOFTMAX} normalise
 * a row (an entry's output depends on the whole row); {@link #SIGMOID} and {@link #NONE} work
 * entry by entry, so a row of them is only a unit of validation. Every activation scales by
 * {@code beta} except {@code NONE}, and every one maps a masked {@code -Infinity} score to the
 * same "impossible" value whatever beta's sign: probability exactly {@code +0}, or
 * {@code -Infinity} for the log and identity outputs.
 */
public enum Activation {
    /** {@code exp(beta * z_i) / sum_j exp(beta * z_j)}: a probability distribution over the row. */
    SOFTMAX,
    /** The log of {@link #SOFTMAX}, computed directly, never as {@code log(softmax)}. */
    LOG_SOFTMAX,
    /**
     * The logistic function of each entry, {@code 1 / (1 + exp(-beta * z))}, independently: one
     * probability per entry (multi-label scores), with no normalisation across the row.
     */
    SIGMOID,
    /** The identity: scores pass through bit for bit and {@code beta} is ignored. */
    NONE;

    /**
     * Whether a row whose entries are all {@code -Infinity} is invalid: a distribution over no
     * entry does not exist, while sigmoid of masked entries is 0 each and the identity keeps them.
     */
    public boolean needsUnmaskedEntry() {
        return this == SOFTMAX || this == LOG_SOFTMAX;
    }
}
