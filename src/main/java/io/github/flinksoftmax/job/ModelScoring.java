package io.github.flinksoftmax.job;

import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.Logits;
import io.github.flinksoftmax.format.Reason;
import io.github.flinksoftmax.kernel.Affine;
import io.github.flinksoftmax.model.Model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The step a linear model adds before the activation: each decoded row is a feature vector
 * {@code x}, and the activation then runs on the scores {@code z = W x + b}. A row of the wrong
 * length is a {@code shape-mismatch}; a NaN or infinite feature, or scores that overflow float range,
 * are {@code non-finite-input}. Built in {@code open()}, used by one task thread.
 */
final class ModelScoring {

    /** The header every output record scored by a model carries: the model version, UTF-8. */
    static final String VERSION_HEADER = "softmax.model-version";

    private final Model model;
    private final Affine affine;
    private final byte[] version;

    ModelScoring(Model model, String kernelChoice) {
        this.model = model;
        this.affine = Affine.create(kernelChoice);
        this.version = model.version().getBytes(StandardCharsets.UTF_8);
    }

    String kernelName() {
        return affine.kernelName();
    }

    Model model() {
        return model;
    }

    /** The version header's value, shared by every output (headers are never written in place). */
    byte[] versionBytes() {
        return version;
    }

    /**
     * The scores of {@code features} as a block of the same rank, the last axis now the model's
     * classes; the format's envelope is kept, so the output reads like the input.
     */
    Logits score(Logits features) throws BadRecordException {
        int d = model.weights().features();
        int k = model.weights().classes();
        int rows = features.rows();
        if (features.cols() != d) {
            throw new BadRecordException(Reason.SHAPE_MISMATCH, (rows == 1 ? "the vector" : "each row") + " has "
                    + features.cols() + " features; the model (version " + model.version() + ") takes " + d);
        }
        float[] z = new float[rows * k];
        try {
            affine.apply(model.weights(), features.values(), 0, z, 0, rows);
        } catch (Affine.NonFiniteFeatureException e) {
            throw new BadRecordException(Reason.NON_FINITE_INPUT, e.getMessage());
        }
        for (int i = 0; i < z.length; i++) {
            // finite features and weights can still overflow; -Infinity would otherwise pass as a masked class
            if (!Float.isFinite(z[i])) {
                throw new BadRecordException(Reason.NON_FINITE_INPUT, "the score of class " + i % k + " in row " + i / k
                        + " is " + z[i] + ": W x + b overflows float range for these features");
            }
        }
        int[] shape = Arrays.copyOf(features.shape(), features.shape().length);
        shape[shape.length - 1] = k;
        return new Logits(z, rows, k, shape, features.envelope());
    }
}
