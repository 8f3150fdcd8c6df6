package io.github.flinksoftmax.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinksoftmax.testing.ReferenceSoftmax;
import java.util.SplittableRandom;
import org.apache.flink.table.api.TableRuntimeException;
import org.junit.jupiter.api.Test;

/**
 * SOFTMAX and LOG_SOFTMAX on Flink's boxed arrays, against the double-precision reference: FLOAT
 * rows at the kernel's documented accuracy, DOUBLE rows at the accuracy docs/sql.md states for
 * them, including doubles beyond float range; then the NULL, mask, invalid-row and temperature rules.
 */
class SoftmaxSqlFunctionTest {

    private static final Float NEG_INF = Float.NEGATIVE_INFINITY;

    static <F extends VectorFunction> F opened(F function) throws Exception {
        function.open(null); // the policy is given, so no job parameter is read
        return function;
    }

    private static SoftmaxSqlFunction softmax(OnInvalid policy) throws Exception {
        return opened(new SoftmaxSqlFunction(policy));
    }

    @Test
    void floatRowsMatchTheReferenceWithin8UlpAtAnySize() throws Exception {
        SoftmaxSqlFunction f = softmax(OnInvalid.NULL);
        LogSoftmaxSqlFunction logF = opened(new LogSoftmaxSqlFunction(OnInvalid.NULL));
        SplittableRandom r = new SplittableRandom(7);
        for (int k : new int[] {1, 2, 3, 7, 16, 17, 33, 1000}) {
            Float[] z = new Float[k];
            float[] zf = new float[k];
            for (int i = 0; i < k; i++) {
                zf[i] = (float) (4 * r.nextGaussian());
                z[i] = zf[i];
            }
            for (double t : new double[] {1.0, 0.5, 3.0}) {
                float[] p = f.eval(z, t);
                float[] lp = logF.eval(z, t);
                double[] ref = ReferenceSoftmax.of(zf, 0, k, (float) (1 / t), false);
                double[] logRef = ReferenceSoftmax.of(zf, 0, k, (float) (1 / t), true);
                for (int i = 0; i < k; i++) {
                    if (ref[i] >= 1e-3) {
                        assertThat(Math.abs(p[i] - ref[i])).as("k=%d T=%s i=%d", k, t, i)
                                .isLessThanOrEqualTo(8 * Math.ulp((float) ref[i]));
                    }
                    double scale = Math.max(1, Math.abs(logRef[i]));
                    assertThat(Math.abs(lp[i] - logRef[i])).isLessThanOrEqualTo(8 * Math.ulp((float) scale));
                }
            }
        }
    }

    @Test
    void doubleRowsAreShiftedNarrowedAndWidenedWithin2e6Relative() throws Exception {
        SoftmaxSqlFunction f = softmax(OnInvalid.NULL);
        SplittableRandom r = new SplittableRandom(11);
        for (double offset : new double[] {0, 1e6, -1e300, 1e300}) {
            Double[] z = new Double[100];
            double[] zd = new double[100];
            for (int i = 0; i < z.length; i++) {
                zd[i] = offset + 5 * r.nextGaussian();
                z[i] = zd[i];
            }
            double[] p = f.eval(z);
            // the reference on the same doubles, shifted exactly as softmax allows
            double[] shifted = new double[z.length];
            double max = java.util.Arrays.stream(zd).max().orElseThrow();
            for (int i = 0; i < z.length; i++) {
                shifted[i] = zd[i] - max;
            }
            double[] ref = ReferenceSoftmax.of(shifted, 1, false);
            for (int i = 0; i < z.length; i++) {
                double err = Math.abs(p[i] - ref[i]);
                assertThat(err).as("offset %s i=%d", offset, i).isLessThanOrEqualTo(ref[i] >= 1e-3 ? 2e-6 * ref[i] : 2e-9);
            }
        }
        // finite doubles beyond float range are a valid row, not +Infinity
        assertThat(f.eval(new Double[] {1e300, 1e300})).containsExactly(0.5, 0.5);
        assertThat(f.eval(new Double[] {-1e300, 0.0})).containsExactly(0.0, 1.0);
    }

    @Test
    void negativeInfinityIsAMaskWithProbabilityExactlyZero() throws Exception {
        assertThat(softmax(OnInvalid.ERROR).eval(new Float[] {1f, NEG_INF, 1f})).containsExactly(0.5f, 0f, 0.5f);
        assertThat(opened(new LogSoftmaxSqlFunction(OnInvalid.ERROR)).eval(new Double[] {0.0, Double.NEGATIVE_INFINITY}))
                .containsExactly(0.0, Double.NEGATIVE_INFINITY);
    }

    @Test
    void nullInNullOut() throws Exception {
        SoftmaxSqlFunction f = softmax(OnInvalid.ERROR);
        assertThat(f.eval((Float[]) null)).isNull();
        assertThat(f.eval((Double[]) null, 2.0)).isNull();
        assertThat(f.eval(new Float[] {1f}, null)).isNull();
    }

    @Test
    void invalidRowsAreNullUnderNull() throws Exception {
        SoftmaxSqlFunction f = softmax(OnInvalid.NULL);
        assertThat(f.eval(new Float[] {1f, null})).isNull();
        assertThat(f.eval(new Float[] {1f, Float.NaN})).isNull();
        assertThat(f.eval(new Double[] {1.0, Double.POSITIVE_INFINITY})).isNull();
        assertThat(f.eval(new Float[] {})).isNull();
        assertThat(f.eval(new Float[] {NEG_INF, NEG_INF})).isNull();
    }

    @Test
    void invalidRowsFailUnderErrorWithAMessageNamingTheFunctionAndDefect() throws Exception {
        SoftmaxSqlFunction f = softmax(OnInvalid.ERROR);
        assertThatThrownBy(() -> f.eval(new Float[] {1f, null})).isInstanceOf(TableRuntimeException.class)
                .hasMessageStartingWith("SOFTMAX: the array holds a NULL element");
        assertThatThrownBy(() -> f.eval(new Double[] {Double.NaN})).hasMessageStartingWith("SOFTMAX: the array holds NaN");
        assertThatThrownBy(() -> f.eval(new Float[] {Float.POSITIVE_INFINITY})).hasMessageContaining("holds +Infinity");
        assertThatThrownBy(() -> f.eval(new Float[] {})).hasMessageContaining("is empty");
        assertThatThrownBy(() -> opened(new LogSoftmaxSqlFunction(OnInvalid.ERROR)).eval(new Float[] {NEG_INF}))
                .hasMessageStartingWith("LOG_SOFTMAX: the array is entirely masked");
    }

    @Test
    void temperatureAtOrBelowZeroIsAnErrorWhateverThePolicy() throws Exception {
        SoftmaxSqlFunction f = softmax(OnInvalid.NULL);
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e-300}) {
            assertThatThrownBy(() -> f.eval(new Float[] {1f, 2f}, t)).isInstanceOf(TableRuntimeException.class)
                    .hasMessageStartingWith("SOFTMAX: temperature must be a finite number > 0");
        }
        // a higher temperature flattens, a lower one sharpens
        assertThat(f.eval(new Float[] {0f, 1f}, 100.0)[1]).isLessThan(f.eval(new Float[] {0f, 1f})[1]);
        assertThat(f.eval(new Float[] {0f, 1f}, 0.01)[1]).isEqualTo(1f);
    }
}
