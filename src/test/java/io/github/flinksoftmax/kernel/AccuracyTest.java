package io.github.flinksoftmax.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every kernel path against {@link Reference} (double precision, exact {@code beta * x}). The
 * bounds are the ones the README states: probabilities of at least 1e-3 within 8 ulp, every row
 * sum within 3e-7 of 1 up to K = 262,144, log-probabilities within 8 ulp of the larger of the
 * result and the normaliser's log (their absolute error is the relative error of the probability).
 */
class AccuracyTest {

    static final double ULP_BOUND = 8;
    static final double SUM_BOUND = 3e-7;

    @Test
    void probabilitiesWithin8UlpAndSumsWithin3e7() {
        double worstUlp = 0;
        double worstSum = 0;
        for (SoftmaxKernel k : KernelPaths.all()) {
            for (Rows.Row row : Rows.all()) {
                for (float beta : Rows.BETAS) {
                    float[] out = new float[row.len()];
                    k.softmax(row.x(), Rows.OFF, out, 0, row.len(), beta);
                    double[] ref = Reference.softmax(row.x(), Rows.OFF, row.len(), beta, false);
                    double sum = 0;
                    for (int i = 0; i < row.len(); i++) {
                        sum += out[i];
                        assertThat(out[i]).as("%s %s beta=%s i=%d", k.name(), row, beta, i).isBetween(0f, 1f);
                        if (ref[i] >= 1e-3) {
                            double ulps = Math.abs(out[i] - ref[i]) / Math.ulp((float) ref[i]);
                            worstUlp = Math.max(worstUlp, ulps);
                            assertThat(ulps).as("%s %s beta=%s i=%d got %s want %s", k.name(), row, beta, i, out[i], ref[i])
                                    .isLessThanOrEqualTo(ULP_BOUND);
                        } else if (row.x()[Rows.OFF + i] == Float.NEGATIVE_INFINITY) {
                            assertThat(Float.floatToRawIntBits(out[i])).isZero();
                        }
                    }
                    worstSum = Math.max(worstSum, Math.abs(sum - 1));
                    assertThat(Math.abs(sum - 1)).as("sum of %s %s beta=%s", k.name(), row, beta)
                            .isLessThanOrEqualTo(SUM_BOUND);
                }
            }
        }
        System.out.printf("softmax: worst %.2f ulp (p >= 1e-3), worst |sum - 1| %.3g%n", worstUlp, worstSum);
    }

    @Test
    void logProbabilitiesWithin8Ulp() {
        double worst = 0;
        for (SoftmaxKernel k : KernelPaths.all()) {
            for (Rows.Row row : Rows.all()) {
                for (float beta : Rows.BETAS) {
                    float[] out = new float[row.len()];
                    k.logSoftmax(row.x(), Rows.OFF, out, 0, row.len(), beta);
                    double[] ref = Reference.softmax(row.x(), Rows.OFF, row.len(), beta, true);
                    double logSum = Reference.logSum(row.x(), Rows.OFF, row.len(), beta);
                    for (int i = 0; i < row.len(); i++) {
                        if (ref[i] == Double.NEGATIVE_INFINITY) {
                            assertThat(out[i]).isEqualTo(Float.NEGATIVE_INFINITY);
                            continue;
                        }
                        assertThat(out[i]).as("%s %s beta=%s i=%d", k.name(), row, beta, i).isLessThanOrEqualTo(0f);
                        if (ref[i] >= Math.log(1e-3)) {
                            double scale = Math.ulp((float) Math.max(Math.max(-ref[i], logSum), 1));
                            double ulps = Math.abs(out[i] - ref[i]) / scale;
                            worst = Math.max(worst, ulps);
                            assertThat(ulps).as("%s %s beta=%s i=%d got %s want %s", k.name(), row, beta, i, out[i], ref[i])
                                    .isLessThanOrEqualTo(ULP_BOUND);
                        }
                    }
                }
            }
        }
        System.out.printf("log-softmax: worst %.2f ulp of max(|log p|, log sum, 1)%n", worst);
    }

    /** Long rows, where a plain float running sum drifts by 80-175 ulp: the Kahan lanes must not. */
    @Test
    void longRowsSumWithin3e7() {
        int[] sizes = {32768, 65537, 262144};
        double worst = 0;
        for (int k : sizes) {
            for (int seed = 0; seed < 4; seed++) {
                SplittableRandom r = new SplittableRandom(seed);
                float[] x = new float[k + 1];
                double sigma = new double[] {0.1, 1, 4, 12}[seed];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (sigma * r.nextGaussian());
                }
                double[] ref = Reference.softmax(x, 1, k, 1f, false);
                for (SoftmaxKernel kernel : new SoftmaxKernel[] {KernelPaths.all().get(0), KernelPaths.all().get(3)}) {
                    float[] out = new float[k];
                    kernel.softmax(x, 1, out, 0, k, 1f);
                    double sum = 0;
                    for (int i = 0; i < k; i++) {
                        sum += out[i];
                        if (ref[i] >= 1e-3) {
                            assertThat(Math.abs(out[i] - ref[i]) / Math.ulp((float) ref[i])).isLessThanOrEqualTo(ULP_BOUND);
                        }
                    }
                    worst = Math.max(worst, Math.abs(sum - 1));
                    assertThat(Math.abs(sum - 1)).as("%s K=%d sigma=%s", kernel.name(), k, sigma)
                            .isLessThanOrEqualTo(SUM_BOUND);
                }
            }
        }
        System.out.printf("long rows: worst |sum - 1| %.3g%n", worst);
    }
}
