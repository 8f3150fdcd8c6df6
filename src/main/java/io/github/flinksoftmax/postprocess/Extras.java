package io.github.flinksoftmax.postprocess;

import java.io.Serializable;

/**
 * Which summaries each output row carries besides the values themselves. They rank the row's
 * values as {@link Summarizer} sees them: probabilities, or the scores the {@code none}
 * activation passes through.
 *
 * @param topK how many of the largest values to list, 0 for none
 * @param argmax whether to add the class with the largest value
 * @param entropy whether to add the entropy in nats (a distribution's only)
 * @param margin whether to add the gap between the two largest values
 * @param labels class names for top-k, argmax and the above-threshold list, {@link Labels#NONE} for indices only
 * @param thresholds the classes to list as above threshold ({@code sigmoid.thresholds}), {@link Thresholds#NONE}
 *     for no list
 */
public record Extras(int topK, boolean argmax, boolean entropy, boolean margin, Labels labels, Thresholds thresholds)
        implements Serializable {

    public static final Extras NONE = new Extras(0, false, false, false, Labels.NONE);

    public Extras {
        if (topK < 0) {
            throw new IllegalArgumentException("postprocess.top-k must be >= 0, got " + topK);
        }
    }

    /** Extras without thresholds: every activation but sigmoid. */
    public Extras(int topK, boolean argmax, boolean entropy, boolean margin, Labels labels) {
        this(topK, argmax, entropy, margin, labels, Thresholds.NONE);
    }

    /** Whether any summary is requested, so rows need summarising at all. */
    public boolean any() {
        return topK > 0 || argmax || entropy || margin || thresholds.isSet();
    }
}
