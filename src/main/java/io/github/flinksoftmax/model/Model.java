package io.github.flinksoftmax.model;

import io.github.flinksoftmax.kernel.LinearModel;

import java.io.Serializable;
import java.util.List;

/**
 * A multinomial logistic regression model as the job scores with it: the weights, the class names
 * the model file gave (empty when it gave none) and the version every output record names.
 * Immutable and serializable: it is read on the client and travels in the job graph, so
 * TaskManagers need no copy of the file.
 *
 * @param weights {@code W} ({@code [K, D]}) and {@code b} ({@code [K]})
 * @param classes class names by index, as many as {@code K}, or empty
 * @param version the model version: never blank
 */
public record Model(LinearModel weights, List<String> classes, String version) implements Serializable {

    public Model {
        classes = List.copyOf(classes);
        if (!classes.isEmpty() && classes.size() != weights.classes()) {
            throw new IllegalArgumentException("the model names " + classes.size() + " classes but has "
                    + weights.classes() + " rows of weights");
        }
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("a model needs a non-blank version");
        }
    }

    /** The same weights and classes under another version ({@code model.version}). */
    public Model withVersion(String newVersion) {
        return new Model(weights, classes, newVersion);
    }

    /** For logs: the shape and version, not the weights. */
    @Override
    public String toString() {
        return "Model[" + weights.classes() + " classes x " + weights.features() + " features, version "
                + version + (classes.isEmpty() ? "" : ", classes " + classes) + "]";
    }
}
