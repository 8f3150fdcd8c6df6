package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.format.Reason;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.kernel.RowDefect;
import io.github.flinksoftmax.kernel.Softmax;

import org.junit.jupiter.api.Test;

/**
 * The dead-letter verdicts are the same for every activation (the kernel's row check decides), and
 * their words fit it: "logits" where they become probabilities, "scores" where none passes them on.
 */
class SoftmaxFunctionTest {

    @Test
    void everyDefectKeepsItsReason() {
        assertThat(SoftmaxFunction.reasonOf(RowDefect.EMPTY)).isEqualTo(Reason.EMPTY_VECTOR);
        assertThat(SoftmaxFunction.reasonOf(RowDefect.NOT_A_NUMBER)).isEqualTo(Reason.NON_FINITE_INPUT);
        assertThat(SoftmaxFunction.reasonOf(RowDefect.POSITIVE_INFINITY)).isEqualTo(Reason.NON_FINITE_INPUT);
        assertThat(SoftmaxFunction.reasonOf(RowDefect.ALL_MASKED)).isEqualTo(Reason.ALL_MASKED);
    }

    @Test
    void theMessageSaysLogitsUnlessTheScoresPassThrough() {
        Softmax.InvalidRow nan = new Softmax.InvalidRow(1, RowDefect.NOT_A_NUMBER);
        for (Activation activation : new Activation[] {Activation.SOFTMAX, Activation.LOG_SOFTMAX, Activation.SIGMOID}) {
            assertThat(SoftmaxFunction.describe(nan, 2, activation)).as(activation.name())
                    .isEqualTo("row 1 holds NaN; expected finite logits or -Infinity (masked)");
        }
        assertThat(SoftmaxFunction.describe(nan, 2, Activation.NONE))
                .isEqualTo("row 1 holds NaN; expected finite scores or -Infinity (masked)");
        assertThat(SoftmaxFunction.describe(new Softmax.InvalidRow(0, RowDefect.EMPTY), 1, Activation.NONE))
                .isEqualTo("the vector is empty; expected at least one score");
    }
}
