package io.github.flinksoftmax.postprocess;

/**
 * The summaries of one output row: in probability space even when the row itself holds
 * log-probabilities, in score space when it holds the scores of the {@code none} activation.
 * Fields that {@link Extras} did not ask for are left at their defaults (empty top-k, argmax -1,
 * NaN entropy and margin, empty above-threshold list) and encoders skip them.
 *
 * @param topIndices class indices, largest value first, ties by lower index
 * @param topProbabilities the values of {@code topIndices}, same order: probabilities, or scores
 * @param argmax index of the class with the largest value (lowest index on ties)
 * @param entropy {@code -sum p ln p} in nats
 * @param margin largest value minus the second largest (the largest itself when K = 1)
 * @param aboveThreshold class indices, ascending, whose probability is above their threshold
 */
public record RowSummary(int[] topIndices, float[] topProbabilities, int argmax, float entropy, float margin,
        int[] aboveThreshold) {

    private static final int[] NONE_ABOVE = new int[0];

    /** A summary without an above-threshold list. */
    public RowSummary(int[] topIndices, float[] topProbabilities, int argmax, float entropy, float margin) {
        this(topIndices, topProbabilities, argmax, entropy, margin, NONE_ABOVE);
    }
}
