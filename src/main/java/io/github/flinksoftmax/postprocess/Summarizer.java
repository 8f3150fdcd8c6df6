package io.github.flinksoftmax.postprocess;

import io.github.flinksoftmax.kernel.Activation;

import java.util.Arrays;

/**
 * Computes the {@link RowSummary} of each row as asked by {@link Extras}, in the space the
 * {@link Activation} gives a meaning to: probabilities for softmax and sigmoid, probabilities
 * recovered by {@code exp} for log-softmax (so top-k and margin read the same whichever is
 * written), the raw scores for none. One pass over the row: top-k by insertion into a k-long
 * sorted buffer, which beats sorting for the small k users ask for; entropy accumulated in double.
 */
public final class Summarizer {

    private static final RowSummary[] NO_SUMMARIES = new RowSummary[0];

    private final Extras extras;
    private int[] above = new int[0]; // the above-threshold indices of the row at hand; grows to the longest row

    public Summarizer(Extras extras) {
        this.extras = extras;
    }

    /**
     * Summaries of every row of {@code values}, or an empty array when no extra is requested.
     * With thresholds, every row must {@link Thresholds#fits fit} them; the caller checks.
     */
    public RowSummary[] summarize(float[] values, int rows, int cols, Activation activation) {
        if (!extras.any()) {
            return NO_SUMMARIES;
        }
        RowSummary[] out = new RowSummary[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = summarizeRow(values, r * cols, cols, activation);
        }
        return out;
    }

    RowSummary summarizeRow(float[] values, int off, int len, Activation activation) {
        boolean log = activation == Activation.LOG_SOFTMAX;
        // entropy belongs to distributions; the config refuses it for sigmoid and none
        boolean entropyWanted = extras.entropy() && (log || activation == Activation.SOFTMAX);
        Thresholds thresholds = extras.thresholds();
        if (thresholds.isSet() && above.length < len) {
            above = new int[len];
        }
        int aboveCount = 0;
        // keep at least two so margin and argmax come from the same buffer
        int keep = Math.min(len, Math.max(extras.topK(), 2));
        int[] idx = new int[keep];
        float[] prob = new float[keep];
        int filled = 0;
        double entropy = 0;
        for (int i = 0; i < len; i++) {
            float v = values[off + i];
            float p = log ? (float) Math.exp(v) : v;
            if (entropyWanted && p > 0) {
                entropy -= p * (log ? (double) v : Math.log(p));
            }
            if (thresholds.isSet() && p > thresholds.of(i)) {
                above[aboveCount++] = i;
            }
            // strict '>' keeps the lower index first on ties, since indices arrive in order; a masked
            // score of none (-Infinity) still fills an empty slot, so K classes always give min(k, K)
            if (filled < keep || p > prob[filled - 1]) {
                int pos = filled < keep ? filled++ : keep - 1;
                while (pos > 0 && p > prob[pos - 1]) {
                    prob[pos] = prob[pos - 1];
                    idx[pos] = idx[pos - 1];
                    pos--;
                }
                prob[pos] = p;
                idx[pos] = i;
            }
        }
        int k = Math.min(extras.topK(), filled);
        int argmax = extras.argmax() ? idx[0] : -1;
        float margin = extras.margin() ? (filled > 1 ? prob[0] - prob[1] : prob[0]) : Float.NaN;
        return new RowSummary(Arrays.copyOf(idx, k), Arrays.copyOf(prob, k), argmax,
                entropyWanted ? (float) entropy : Float.NaN, margin, Arrays.copyOf(above, aboveCount));
    }
}
