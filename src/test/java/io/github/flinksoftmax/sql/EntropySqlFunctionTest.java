package io.github.flinksoftmax.sql;

import static io.github.flinksoftmax.sql.SoftmaxSqlFunctionTest.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** ENTROPY: nats, 0 ln 0 = 0, result type following the input, invalid probability rows. */
class EntropySqlFunctionTest {

    @Test
    void natsOfTheDistribution() throws Exception {
        EntropySqlFunction f = opened(new EntropySqlFunction(OnInvalid.ERROR));
        assertThat(f.eval(new Float[] {0.25f, 0.25f, 0.25f, 0.25f})).isCloseTo((float) Math.log(4), within(1e-6f));
        assertThat(f.eval(new Double[] {1.0, 0.0})).isZero();
        double p = 0.1;
        assertThat(f.eval(new Double[] {p, 1 - p})).isCloseTo(-(p * Math.log(p) + (1 - p) * Math.log(1 - p)), within(1e-7));
    }

    @Test
    void nullsAndInvalidRows() throws Exception {
        EntropySqlFunction f = opened(new EntropySqlFunction(OnInvalid.NULL));
        assertThat(f.eval((Double[]) null)).isNull();
        assertThat(f.eval(new Float[] {})).isNull();
        assertThat(f.eval(new Float[] {0.5f, null})).isNull();
        assertThat(f.eval(new Float[] {-0.1f, 1.1f})).isNull();
        assertThatThrownBy(() -> opened(new EntropySqlFunction(OnInvalid.ERROR)).eval(new Float[] {Float.POSITIVE_INFINITY}))
                .hasMessageStartingWith("ENTROPY: the array holds +Infinity");
    }
}
