package io.github.flinksoftmax.postprocess;

/**
 * The output of one record: a {@code [rows, cols]} block of probabilities (or log-probabilities)
 * in row-major order, the extras that were requested and one {@link RowSummary} per row when any
 * was (an empty array otherwise).
 */
public record Distribution(float[] values, int rows, int cols, boolean log, Extras extras, RowSummary[] summaries) {}
