package io.github.flinksoftmax.postprocess;

import java.io.Serializable;

/**
 * Which summaries each output row carries besides the distribution itself.
 *
 * @param topK how many of the most probable classes to list, 0 for none
 * @param argmax whether to add the most probable class
 * @param entropy whether to add the entropy in nats
 * @param margin whether to add the gap between the two largest probabilities
 * @param labels class names for top-k and argmax, {@link Labels#NONE} for indices only
 */
public record Extras(int topK, boolean argmax, boolean entropy, boolean margin, Labels labels)
        implements Serializable {

    public static final Extras NONE = new Extras(0, false, false, false, Labels.NONE);

    public Extras {
        if (topK < 0) {
            throw new IllegalArgumentException("postprocess.top-k must be >= 0, got " + topK);
        }
    }

    /** Whether any summary is requested, so rows need summarising at all. */
    public boolean any() {
        return topK > 0 || argmax || entropy || margin;
    }
}
