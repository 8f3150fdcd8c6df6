package io.github.flinksoftmax.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The validating facade: defects found per row, bounds checked, kernels chosen by name. */
class SoftmaxFacadeTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void checkNamesEachDefect() {
        assertThat(Softmax.check(new float[] {1, 2}, 0, 0)).isEqualTo(RowDefect.EMPTY);
        assertThat(Softmax.check(new float[] {1, Float.NaN}, 0, 2)).isEqualTo(RowDefect.NOT_A_NUMBER);
        assertThat(Softmax.check(new float[] {1, Float.POSITIVE_INFINITY}, 0, 2)).isEqualTo(RowDefect.POSITIVE_INFINITY);
        assertThat(Softmax.check(new float[] {NEG_INF, NEG_INF}, 0, 2)).isEqualTo(RowDefect.ALL_MASKED);
        assertThat(Softmax.check(new float[] {NEG_INF, -3e38f}, 0, 2)).isNull();
        assertThat(Softmax.check(new float[] {Float.NaN, 1}, 1, 1)).as("offset respected").isNull();
    }

    @Test
    void findDefectReportsTheFirstBadRow() {
        float[] x = {9, 1, 2, NEG_INF, NEG_INF, 3, Float.NaN};
        assertThat(Softmax.scalar().findDefect(x, 1, 3, 2)).isEqualTo(new Softmax.InvalidRow(1, RowDefect.ALL_MASKED));
        assertThat(Softmax.scalar().findDefect(x, 1, 1, 2)).isNull();
        assertThat(Softmax.scalar().findDefect(x, 0, 2, 0)).isEqualTo(new Softmax.InvalidRow(0, RowDefect.EMPTY));
    }

    @Test
    void computeRejectsInvalidRowsAndSlicesInsteadOfWritingNaN() {
        Softmax s = Softmax.create("auto");
        float[] dst = new float[4];
        assertThatThrownBy(() -> s.compute(new float[] {1, Float.NaN}, 0, dst, 0, 1, 2, 1f, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NOT_A_NUMBER");
        assertThatThrownBy(() -> s.compute(new float[] {1, 2}, 1, dst, 0, 1, 2, 1f, false))
                .hasMessageContaining("out of bounds");
        assertThatThrownBy(() -> s.compute(new float[] {1, 2}, 0, dst, 0, 1, 2, Float.NaN, false))
                .hasMessageContaining("beta");
        assertThat(dst).containsOnly(0f);
    }

    @Test
    void computeNamesTheFirstInvalidRowAndLeavesAnInPlaceBlockUntouched() {
        // the operator relies on this: it validates nothing itself and dead-letters what compute reports
        float[] block = {1, 2, 3, NEG_INF, NEG_INF, NEG_INF, Float.NaN, 0, 0};
        float[] before = block.clone();
        assertThatThrownBy(() -> Softmax.create("auto").compute(block, 0, block, 0, 3, 3, 1f, false))
                .isInstanceOfSatisfying(Softmax.InvalidRowException.class, e -> assertThat(e.invalidRow())
                        .isEqualTo(new Softmax.InvalidRow(1, RowDefect.ALL_MASKED)));
        assertThat(block).containsExactly(before);
    }

    @Test
    void computeRunsEveryRowOfABatch() {
        float[] x = {0, 1, 2, 5, 5, 5, NEG_INF, 7, 7};
        float[] out = new float[x.length + 1];
        for (String choice : new String[] {"scalar", "vector", "auto"}) {
            Softmax.create(choice).compute(x, 0, out, 1, 3, 3, 1f, false);
            assertThat(out[2]).isEqualTo(out[1] * (float) Math.E, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(out[4]).isEqualTo(1f / 3);
            assertThat(out[7]).isZero();
            assertThat(out[8]).isEqualTo(0.5f);
            Softmax.create(choice).compute(x, 0, out, 1, 3, 3, 1f, true);
            assertThat(out[7]).isEqualTo(NEG_INF);
            assertThat(out[9]).isEqualTo((float) Math.log(0.5), org.assertj.core.data.Offset.offset(1e-7f));
        }
    }

    @Test
    void allMaskedIsADefectOnlyForTheNormalisingActivations() {
        float[] masked = {NEG_INF, NEG_INF};
        assertThat(Softmax.check(masked, 0, 2, Activation.SOFTMAX)).isEqualTo(RowDefect.ALL_MASKED);
        assertThat(Softmax.check(masked, 0, 2, Activation.LOG_SOFTMAX)).isEqualTo(RowDefect.ALL_MASKED);
        assertThat(Softmax.check(masked, 0, 2, Activation.SIGMOID)).isNull();
        assertThat(Softmax.check(masked, 0, 2, Activation.NONE)).isNull();
        for (Activation a : Activation.values()) {
            assertThat(Softmax.check(new float[] {1, Float.NaN}, 0, 2, a)).as("%s", a).isEqualTo(RowDefect.NOT_A_NUMBER);
            assertThat(Softmax.check(new float[] {Float.POSITIVE_INFINITY}, 0, 1, a)).as("%s", a)
                    .isEqualTo(RowDefect.POSITIVE_INFINITY);
            assertThat(Softmax.check(new float[] {1}, 0, 0, a)).as("%s", a).isEqualTo(RowDefect.EMPTY);
            assertThat(Softmax.scalar().findDefect(new float[] {1}, 0, 1, 0, a)).as("%s", a)
                    .isEqualTo(new Softmax.InvalidRow(0, RowDefect.EMPTY));
        }
    }

    @Test
    void sigmoidAndIdentityTakeAFullyMaskedRow() {
        float[] x = {0, 2, -3, NEG_INF, NEG_INF, NEG_INF, -0f, Float.MAX_VALUE, -Float.MIN_VALUE};
        for (String choice : new String[] {"scalar", "vector"}) {
            Softmax s = Softmax.create(choice);
            float[] out = new float[x.length];
            s.compute(x, 0, out, 0, 3, 3, 1f, Activation.SIGMOID);
            assertThat(out[0]).isEqualTo(0.5f);
            assertThat(out[1]).isEqualTo((float) (1 / (1 + Math.exp(-2))));
            assertThat(out[3]).isZero();
            assertThat(out[7]).isEqualTo(1f);
            s.compute(x, 0, out, 0, 3, 3, -1f, Activation.SIGMOID);
            assertThat(out).as("masked stays 0 with beta < 0").containsSequence(0f, 0f, 0f);
            // the identity ignores beta: every bit passes, -0 and -Infinity included
            s.compute(x, 0, out, 0, 3, 3, -7f, Activation.NONE);
            assertThat(BitIdentityTest.bits(out, 0, x.length)).isEqualTo(BitIdentityTest.bits(x, 0, x.length));
            assertThatThrownBy(() -> s.compute(x, 0, out, 0, 3, 3, Float.NaN, Activation.NONE))
                    .hasMessageContaining("beta");
            assertThatThrownBy(() -> s.compute(x, 0, out, 0, 3, 3, 1f, Activation.SOFTMAX))
                    .isInstanceOfSatisfying(Softmax.InvalidRowException.class, e -> assertThat(e.invalidRow())
                            .isEqualTo(new Softmax.InvalidRow(1, RowDefect.ALL_MASKED)));
            assertThatThrownBy(() -> s.compute(x, 0, out, 0, 3, 3, 1f, (Activation) null))
                    .hasMessageContaining("activation");
        }
    }

    @Test
    void theBooleanOverloadIsSoftmaxOrLogSoftmax() {
        float[] x = {0.3f, -1, 4, NEG_INF, 2, 2};
        Softmax s = Softmax.create("auto");
        for (boolean log : new boolean[] {false, true}) {
            float[] viaBoolean = new float[x.length];
            float[] viaActivation = new float[x.length];
            s.compute(x, 0, viaBoolean, 0, 2, 3, 0.7f, log);
            s.compute(x, 0, viaActivation, 0, 2, 3, 0.7f, log ? Activation.LOG_SOFTMAX : Activation.SOFTMAX);
            assertThat(BitIdentityTest.bits(viaBoolean, 0, x.length)).isEqualTo(BitIdentityTest.bits(viaActivation, 0, x.length));
        }
    }

    @Test
    void createNamesTheKernelAndItsWidth() {
        assertThat(Softmax.scalar().kernelName()).isEqualTo("scalar");
        assertThat(Softmax.create("scalar").vectorBits()).isZero();
        Softmax vector = Softmax.create(" Vector ");
        assertThat(vector.vectorBits()).isIn(128, 256, 512);
        assertThat(vector.kernelName()).isEqualTo("vector-" + vector.vectorBits());
        assertThat(Softmax.create("auto").kernelName()).isEqualTo(vector.kernelName());
    }

    @Test
    void createRejectsUnknownChoicesNamingTheKey() {
        assertThatThrownBy(() -> Softmax.create("fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softmax.kernel")
                .hasMessageContaining("auto, vector, scalar")
                .hasMessageContaining("fast");
        assertThatThrownBy(() -> Softmax.create((String) null)).isInstanceOf(IllegalArgumentException.class);
    }
}
