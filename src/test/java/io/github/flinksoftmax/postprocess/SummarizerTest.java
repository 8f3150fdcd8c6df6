package io.github.flinksoftmax.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.kernel.Softmax;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The summaries per activation: softmax and log-softmax summarise the same probabilities, sigmoid
 * its independent probabilities (with the classes above threshold), none the raw scores. Inputs go
 * through the real kernel first, as in the job.
 */
class SummarizerTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    private static final Extras RANKING = new Extras(2, true, false, true, Labels.NONE);

    private static float[] activate(Activation activation, float... logits) {
        float[] out = new float[logits.length];
        Softmax.scalar().compute(logits, 0, out, 0, 1, logits.length, 1f, activation);
        return out;
    }

    private static RowSummary summary(Extras extras, Activation activation, float... logits) {
        float[] values = activate(activation, logits);
        return new Summarizer(extras).summarize(values, 1, values.length, activation)[0];
    }

    @Test
    void softmaxAndLogSoftmaxGiveTheSameSummaryInProbabilitySpace() {
        Extras all = new Extras(2, true, true, true, Labels.NONE);
        RowSummary p = summary(all, Activation.SOFTMAX, 1f, 3f, 2f, NEG_INF);
        RowSummary logp = summary(all, Activation.LOG_SOFTMAX, 1f, 3f, 2f, NEG_INF);
        assertThat(p.topIndices()).containsExactly(1, 2);
        assertThat(logp.topIndices()).containsExactly(1, 2);
        assertThat(logp.topProbabilities()[0]).isCloseTo(p.topProbabilities()[0], within(1e-6f));
        assertThat(logp.entropy()).isCloseTo(p.entropy(), within(1e-6f)).isPositive();
        assertThat(logp.margin()).isCloseTo(p.margin(), within(1e-6f));
        assertThat(p.aboveThreshold()).isEmpty();
    }

    @Test
    void sigmoidRanksItsIndependentProbabilitiesAndListsTheClassesAboveOneThreshold() {
        Extras extras = new Extras(2, true, false, true, Labels.NONE, Thresholds.of(List.of(0.5)));
        // sigmoid: 0.881, 0.269, 0.5 exactly, 0.953, 0 (masked)
        RowSummary s = summary(extras, Activation.SIGMOID, 2f, -1f, 0f, 3f, NEG_INF);
        assertThat(s.topIndices()).containsExactly(3, 0);
        assertThat(s.topProbabilities()[0]).isCloseTo((float) (1 / (1 + Math.exp(-3))), within(1e-6f));
        assertThat(s.argmax()).isEqualTo(3);
        assertThat(s.margin()).isCloseTo((float) (1 / (1 + Math.exp(-3)) - 1 / (1 + Math.exp(-2))), within(1e-6f));
        // 0.5 is not above 0.5: above means strictly greater
        assertThat(s.aboveThreshold()).containsExactly(0, 3);
        assertThat(s.entropy()).isNaN();
    }

    @Test
    void perClassThresholdsApplyToTheirOwnClassAndAMaskedClassIsNeverAboveZero() {
        Extras extras = new Extras(0, false, false, false, Labels.NONE, Thresholds.of(List.of(0.9, 0.2, 0.0, 0.0)));
        RowSummary s = summary(extras, Activation.SIGMOID, 2f, -1f, -30f, NEG_INF);
        // 0.881 < 0.9; 0.269 > 0.2; 9.4e-14 > 0; masked 0 is not above 0
        assertThat(s.aboveThreshold()).containsExactly(1, 2);
        assertThat(s.topIndices()).isEmpty();
        assertThat(s.argmax()).isEqualTo(-1);
    }

    @Test
    void everyRowOfABatchHasItsOwnAboveThresholdList() {
        Extras extras = new Extras(0, false, false, false, Labels.NONE, Thresholds.of(List.of(0.5)));
        float[] values = {0.9f, 0.1f, 0.2f, 0.1f, 0.6f, 0.7f};
        RowSummary[] rows = new Summarizer(extras).summarize(values, 2, 3, Activation.SIGMOID);
        assertThat(rows[0].aboveThreshold()).containsExactly(0);
        assertThat(rows[1].aboveThreshold()).containsExactly(1, 2);
        assertThat(new Summarizer(extras).summarize(new float[] {0.1f, 0.2f}, 1, 2, Activation.SIGMOID)[0]
                .aboveThreshold()).isEmpty();
    }

    @Test
    void noneRanksTheRawScoresWithMaskedScoresLast() {
        RowSummary s = summary(RANKING, Activation.NONE, -5f, 7.5f, NEG_INF, 2f);
        assertThat(s.topIndices()).containsExactly(1, 3);
        assertThat(s.topProbabilities()).containsExactly(7.5f, 2f);
        assertThat(s.argmax()).isEqualTo(1);
        assertThat(s.margin()).isEqualTo(5.5f);
        RowSummary negative = summary(new Extras(4, true, false, false, Labels.NONE), Activation.NONE,
                NEG_INF, -3f, NEG_INF, -1f);
        assertThat(negative.topIndices()).containsExactly(3, 1, 0, 2);
        assertThat(negative.argmax()).isEqualTo(3);
    }

    @Test
    void tiesKeepTheLowerIndexFirstForEveryActivation() {
        for (Activation activation : Activation.values()) {
            RowSummary s = summary(new Extras(3, true, false, false, Labels.NONE), activation, 1f, 2f, 2f, 1f);
            assertThat(s.topIndices()).as(activation.name()).containsExactly(1, 2, 0);
            assertThat(s.argmax()).as(activation.name()).isEqualTo(1);
        }
    }

    @Test
    void withoutExtrasNothingIsSummarised() {
        assertThat(new Summarizer(Extras.NONE).summarize(new float[] {1f, 2f}, 1, 2, Activation.NONE)).isEmpty();
        Extras onlyThresholds = new Extras(0, false, false, false, Labels.NONE, Thresholds.of(List.of(0.5)));
        assertThat(onlyThresholds.any()).isTrue();
    }
}
