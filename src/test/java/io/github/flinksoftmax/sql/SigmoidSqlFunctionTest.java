package io.github.flinksoftmax.sql;

import static io.github.flinksoftmax.sql.SoftmaxSqlFunctionTest.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** SIGMOID: element-wise logistic from the kernel's two-class softmax, with the same rules. */
class SigmoidSqlFunctionTest {

    @Test
    void eachEntryIsTheLogisticWithin8Ulp() throws Exception {
        SigmoidSqlFunction f = opened(new SigmoidSqlFunction(OnInvalid.ERROR));
        Float[] z = {-20f, -3.5f, -1f, 0f, 0.25f, 2f, 9f, 40f};
        for (double t : new double[] {1, 0.5, 4}) {
            float[] s = f.eval(z, t);
            for (int i = 0; i < z.length; i++) {
                double ref = 1 / (1 + Math.exp(-z[i] / t));
                assertThat(Math.abs(s[i] - ref)).as("z=%s T=%s", z[i], t).isLessThanOrEqualTo(8 * Math.ulp((float) ref));
            }
        }
        assertThat(f.eval(new Float[] {0f})).containsExactly(0.5f);
    }

    @Test
    void doublesFollowTheInputTypeAndSaturateBeyondFloatRange() throws Exception {
        SigmoidSqlFunction f = opened(new SigmoidSqlFunction(OnInvalid.ERROR));
        assertThat(f.eval(new Double[] {1e300, -1e300, 0.0})).containsExactly(1.0, 0.0, 0.5);
    }

    @Test
    void masksEmptyArraysAndInvalidEntries() throws Exception {
        SigmoidSqlFunction f = opened(new SigmoidSqlFunction(OnInvalid.NULL));
        assertThat(f.eval(new Float[] {Float.NEGATIVE_INFINITY, 0f})).containsExactly(0f, 0.5f);
        assertThat(f.eval(new Float[] {})).isEmpty(); // element-wise: nothing to normalise
        assertThat(f.eval(new Float[] {1f, Float.NaN})).isNull();
        assertThat(f.eval(new Float[] {Float.POSITIVE_INFINITY})).isNull();
        assertThat(f.eval(new Float[] {null})).isNull();
        assertThat(f.eval((Float[]) null)).isNull();
        assertThatThrownBy(() -> opened(new SigmoidSqlFunction(OnInvalid.ERROR)).eval(new Double[] {Double.NaN}))
                .hasMessageStartingWith("SIGMOID: the array holds NaN");
    }
}
