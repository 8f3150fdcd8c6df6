package io.github.flinksoftmax.postprocess;

import io.github.flinksoftmax.kernel.Activation;

/**
 * The output of one record: a {@code [rows, cols]} block in row-major order of what the
 * {@link Activation} made of the logits (probabilities, log-probabilities or scores), the extras
 * that were requested and one {@link RowSummary} per row when any was (an empty array otherwise).
 */
public record Distribution(float[] values, int rows, int cols, Activation activation, Extras extras,
        RowSummary[] summaries) {}
