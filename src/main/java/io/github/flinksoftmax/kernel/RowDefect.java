package io.github.flinksoftmax.kernel;

/** Why a row cannot be turned into a probability distribution. */
public enum RowDefect {
    /** The row has no entries. */
    EMPTY,
    /** The row holds a NaN. */
    NOT_A_NUMBER,
    /** The row holds {@code +Infinity}, so the distribution is undefined. */
    POSITIVE_INFINITY,
    /** Every entry is {@code -Infinity}: nothing is left to normalise. */
    ALL_MASKED
}
