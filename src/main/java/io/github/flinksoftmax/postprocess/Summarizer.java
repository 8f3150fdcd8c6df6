package io.github.flinksoftmax.postprocess;

/**
 * Computes the {@link RowSummary} of a row of probabilities or log-probabilities as asked by
 * {@link Extras}. One pass over the row: top-k by insertion into a k-long sorted buffer, which
 * beats sorting for the small k users ask for; entropy accumulated in double.
 */
public final class Summarizer {

    private static final RowSummary[] NO_SUMMARIES = new RowSummary[0];

    private final Extras extras;

    public Summarizer(Extras extras) {
        this.extras = extras;
    }

    /** Summaries of every row of {@code values}, or an empty array when no extra is requested. */
    public RowSummary[] summarize(float[] values, int rows, int cols, boolean log) {
        if (!extras.any()) {
            return NO_SUMMARIES;
        }
        RowSummary[] out = new RowSummary[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = summarizeRow(values, r * cols, cols, log);
        }
        return out;
    }

    RowSummary summarizeRow(float[] values, int off, int len, boolean log) {
        // keep at least two so margin and argmax come from the same buffer
        int keep = Math.min(len, Math.max(extras.topK(), 2));
        int[] idx = new int[keep];
        float[] prob = new float[keep];
        int filled = 0;
        double entropy = 0;
        for (int i = 0; i < len; i++) {
            float v = values[off + i];
            float p = log ? (float) Math.exp(v) : v;
            if (extras.entropy() && p > 0) {
                entropy -= p * (log ? (double) v : Math.log(p));
            }
            // strict '>' keeps the lower index first on ties, since indices arrive in order
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
        int[] topIdx = java.util.Arrays.copyOf(idx, k);
        float[] topProb = java.util.Arrays.copyOf(prob, k);
        int argmax = extras.argmax() ? idx[0] : -1;
        float margin = extras.margin() ? (filled > 1 ? prob[0] - prob[1] : prob[0]) : Float.NaN;
        return new RowSummary(topIdx, topProb, argmax, extras.entropy() ? (float) entropy : Float.NaN, margin);
    }
}
