package io.github.flinksoftmax.sql;

import static io.github.flinksoftmax.sql.SoftmaxSqlFunctionTest.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** ARGMAX: 0-based, lowest index on ties, masks ignored, the rows SOFTMAX rejects rejected too. */
class ArgmaxSqlFunctionTest {

    @Test
    void indexOfTheLargestLowestOnTies() throws Exception {
        ArgmaxSqlFunction f = opened(new ArgmaxSqlFunction(OnInvalid.ERROR));
        assertThat(f.eval(new Float[] {1f, 3f, 3f, -2f})).isEqualTo(1);
        assertThat(f.eval(new Float[] {Float.NEGATIVE_INFINITY, -1e30f})).isEqualTo(1);
        assertThat(f.eval(new Double[] {-1e300, 1e300, 0.0})).isEqualTo(1);
        assertThat(f.eval(new Float[] {7f})).isZero();
    }

    @Test
    void nullsAndInvalidRows() throws Exception {
        ArgmaxSqlFunction f = opened(new ArgmaxSqlFunction(OnInvalid.NULL));
        assertThat(f.eval((Float[]) null)).isNull();
        assertThat(f.eval(new Float[] {})).isNull();
        assertThat(f.eval(new Float[] {1f, null})).isNull();
        assertThat(f.eval(new Float[] {Float.NEGATIVE_INFINITY})).isNull();
        assertThat(f.eval(new Double[] {1.0, Double.POSITIVE_INFINITY})).isNull();
        assertThatThrownBy(() -> opened(new ArgmaxSqlFunction(OnInvalid.ERROR)).eval(new Float[] {Float.NaN}))
                .hasMessageStartingWith("ARGMAX: the array holds NaN");
    }
}
