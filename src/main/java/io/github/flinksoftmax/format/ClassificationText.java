package io.github.flinksoftmax.format;

import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.postprocess.RowSummary;

/**
 * Top-k entries as text, {@code value:index:label} or {@code value:index} when the class has no
 * label, the form of Triton's classification extension; used by the formats that cannot carry
 * structured extras ({@code oip-v2} BYTES tensors, {@code float32le} headers). The label comes
 * last so a label containing {@code :} still splits unambiguously with a limit of 3.
 */
final class ClassificationText {

    private final FloatDigits digits = new FloatDigits();

    /** Appends entry {@code i} of {@code row}'s top-k. */
    void appendTopK(StringBuilder out, RowSummary row, int i, Labels labels) {
        int index = row.topIndices()[i];
        digits.append(row.topProbabilities()[i], out);
        out.append(':').append(index);
        String label = labels.label(index);
        if (label != null) {
            out.append(':').append(label);
        }
    }

    /** Appends a float as the formats write every float. */
    void appendFloat(StringBuilder out, float value) {
        digits.append(value, out);
    }
}
