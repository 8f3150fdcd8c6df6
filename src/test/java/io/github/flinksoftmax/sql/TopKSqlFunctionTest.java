package io.github.flinksoftmax.sql;

import static io.github.flinksoftmax.sql.SoftmaxSqlFunctionTest.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** TOP_K: order, ties, 0-based indices, labels (missing, short, NULL), k beyond K, invalid rows. */
class TopKSqlFunctionTest {

    @Test
    void mostProbableFirstTiesByLowerIndexWithLabels() throws Exception {
        TopKSqlFunction f = opened(new TopKSqlFunction(OnInvalid.ERROR));
        Row[] top = f.eval(new Float[] {0.1f, 0.3f, 0.3f, 0.2f, 0.1f}, 3, new String[] {"a", "b", "c"});
        assertThat(top).containsExactly(Row.of(1, "b", 0.3f), Row.of(2, "c", 0.3f), Row.of(3, null, 0.2f));
        assertThat(f.eval(new Double[] {0.25, 0.75}, 5)).containsExactly(Row.of(1, null, 0.75f), Row.of(0, null, 0.25f));
        assertThat(f.eval(new Float[] {0.5f, 0.5f}, 1, null)).containsExactly(Row.of(0, null, 0.5f));
        assertThat(f.eval(new Float[] {0.5f, 0.5f}, 1, new String[] {null, "x"})).containsExactly(Row.of(0, null, 0.5f));
    }

    @Test
    void nullsInvalidRowsAndBadK() throws Exception {
        TopKSqlFunction f = opened(new TopKSqlFunction(OnInvalid.NULL));
        assertThat(f.eval((Float[]) null, 1)).isNull();
        assertThat(f.eval(new Float[] {1f}, null)).isNull();
        assertThat(f.eval(new Float[] {}, 1)).isNull();
        assertThat(f.eval(new Float[] {0.5f, null}, 1)).isNull();
        assertThat(f.eval(new Float[] {0.5f, Float.NaN}, 1)).isNull();
        assertThat(f.eval(new Double[] {-0.5, 1.5}, 1)).isNull();
        assertThatThrownBy(() -> f.eval(new Float[] {1f}, 0)).hasMessage("TOP_K: k must be >= 1, got 0");
        assertThatThrownBy(() -> opened(new TopKSqlFunction(OnInvalid.ERROR)).eval(new Float[] {1f, Float.NEGATIVE_INFINITY}, 1))
                .hasMessageStartingWith("TOP_K: the array holds -Infinity");
    }
}
