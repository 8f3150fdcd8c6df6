package io.github.flinksoftmax.sql;

/**
 * The check for the functions that take probabilities ({@code TOP_K}, {@code ENTROPY}): every
 * entry finite and not negative, at least one entry. Rows are not required to sum to 1 (a
 * {@code SOFTMAX} row sums to 1 only within rounding) and are used as given, not renormalised.
 */
final class Probabilities {

    private Probabilities() {}

    /** What is wrong with the row, as a message fragment, or {@code null} when nothing is. */
    static String defect(float[] p) {
        if (p.length == 0) {
            return "is empty";
        }
        for (float v : p) {
            if (Float.isNaN(v)) {
                return "holds NaN";
            }
            if (Float.isInfinite(v)) {
                return v > 0 ? "holds +Infinity" : "holds -Infinity";
            }
            if (v < 0) {
                return "holds a negative probability (" + v + ")";
            }
        }
        return null;
    }
}
