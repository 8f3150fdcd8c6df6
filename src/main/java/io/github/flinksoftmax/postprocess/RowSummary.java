package io.github.flinksoftmax.postprocess;

/**
 * The summaries of one output row, in probability space even when the row itself holds
 * log-probabilities. Fields that {@link Extras} did not ask for are left at their defaults
 * (empty top-k, argmax -1, NaN entropy and margin) and encoders skip them.
 *
 * @param topIndices class indices, most probable first, ties by lower index
 * @param topProbabilities the probabilities of {@code topIndices}, same order
 * @param argmax index of the most probable class (lowest index on ties)
 * @param entropy {@code -sum p ln p} in nats
 * @param margin largest probability minus the second largest (the largest itself when K = 1)
 */
public record RowSummary(int[] topIndices, float[] topProbabilities, int argmax, float entropy, float margin) {}
