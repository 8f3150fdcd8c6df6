package io.github.flinksoftmax.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The properties DESIGN.md promises, on every kernel path (scalar, vector at 128, 256, 512 bits),
 * for rows of 1 to 80 entries (one and several 16-lane blocks plus tails) with masked entries.
 */
class SoftmaxPropertiesTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    /** 2^-23: one ulp relative to a value in [1, 2); the tolerances below are counted in it. */
    private static final double EPS = 0x1p-23;

    @Provide
    Arbitrary<float[]> logits() {
        Arbitrary<Float> entry = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.floats().between(-30f, 30f)),
                Tuple.of(1, Arbitraries.just(NEG_INF)));
        return entry.array(float[].class).ofMinSize(1).ofMaxSize(80).map(x -> {
            if (x[0] == NEG_INF) {
                x[0] = 0.25f; // kernels assume at least one unmasked entry
            }
            return x;
        });
    }

    @Provide
    Arbitrary<Float> betas() {
        return Arbitraries.oneOf(Arbitraries.floats().between(-4f, 4f), Arbitraries.of(1f, -1f, 0f, 0.5f));
    }

    @Property(tries = 300)
    void probabilitiesAreInRangeAndSumToOne(@ForAll("logits") float[] x, @ForAll("betas") float beta) {
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] p = softmax(k, x, beta);
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                assertThat(p[i]).as(k.name()).isBetween(0f, 1f);
                if (x[i] == NEG_INF) {
                    assertThat(Float.floatToRawIntBits(p[i])).as("masked entry is exactly +0").isZero();
                }
                sum += p[i];
            }
            assertThat(Math.abs(sum - 1)).as(k.name()).isLessThanOrEqualTo(AccuracyTest.SUM_BOUND);
        }
    }

    /**
     * jqwik's shrunk counterexample to a float tail sum: five small terms added one by one to a
     * dominant one each rounded at 1.0's ulp, and the row summed to 1 - 3.1e-7.
     */
    @Example
    void aShortRowWithOneDominantEntrySumsToOne() {
        probabilitiesAreInRangeAndSumToOne(new float[] {0f, -4.44f, 0f, 0f, 0f, 0f}, -1f);
        probabilitiesAreInRangeAndSumToOne(new float[] {4.44f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f,
            0f, 0f, 0f, 0f, 0f, 0f, 0f}, 1f);
    }

    @Property(tries = 300)
    void logProbabilitiesAreAtMostZeroAndMatchTheProbabilities(@ForAll("logits") float[] x, @ForAll("betas") float beta) {
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] lp = new float[x.length];
            k.logSoftmax(x, 0, lp, 0, x.length, beta);
            float[] p = softmax(k, x, beta);
            for (int i = 0; i < x.length; i++) {
                if (x[i] == NEG_INF) {
                    assertThat(lp[i]).isEqualTo(NEG_INF);
                } else {
                    assertThat(lp[i]).as(k.name()).isLessThanOrEqualTo(0f).isGreaterThan(NEG_INF);
                    if (p[i] >= 1e-3) {
                        // both are within 8 ulp of the reference, so within 16 of each other
                        assertThat(Math.abs(Math.exp(lp[i]) - p[i])).isLessThanOrEqualTo(16 * EPS * p[i]);
                    }
                }
            }
        }
    }

    /**
     * Larger scaled logits never get smaller probabilities (beta > 0 keeps the order, beta < 0
     * reverses it), up to 2 ulp: the float exp is not strictly monotone (a scan of every float in
     * [-87.3, 0] finds steps where it goes down by one ulp, where the polynomial's rounding and
     * the range reduction meet), and the common scaling by 1/sum can widen that by one more ulp.
     * Entries whose scaled logits differ by more than that come out strictly in order.
     */
    @Property(tries = 300)
    void orderIsKeptForPositiveBetaAndReversedForNegative(@ForAll("logits") float[] x, @ForAll("betas") float beta) {
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] p = softmax(k, x, beta);
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    if (x[i] != NEG_INF && x[j] != NEG_INF && (double) beta * x[i] < (double) beta * x[j]) {
                        assertThat(p[i]).as("%s x=%s,%s beta=%s", k.name(), x[i], x[j], beta)
                                .isLessThanOrEqualTo(p[j] + 2 * Math.ulp(p[j]));
                    }
                }
            }
        }
    }

    /** The tolerance above is not idle: here exp steps down by one ulp from one float to the next. */
    @org.junit.jupiter.api.Test
    void expStepsDownByOneUlpNearMinusAQuarter() {
        float t = -0x1.fffe4ep-3f;
        assertThat(Float.floatToRawIntBits(SoftmaxMath.exp(t)) - Float.floatToRawIntBits(SoftmaxMath.exp(Math.nextUp(t))))
                .isEqualTo(1);
    }

    @Property(tries = 300)
    void equalInputsGetEqualOutputs(@ForAll("logits") float[] x, @ForAll("betas") float beta,
            @ForAll @IntRange(min = 0, max = 79) int a, @ForAll @IntRange(min = 0, max = 79) int b) {
        x[a % x.length] = x[b % x.length];
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] p = softmax(k, x, beta);
            assertThat(Float.floatToRawIntBits(p[a % x.length])).isEqualTo(Float.floatToRawIntBits(p[b % x.length]));
        }
    }

    @Property(tries = 300)
    void zeroBetaIsUniformOverUnmaskedEntries(@ForAll("logits") float[] x) {
        int unmasked = 0;
        for (float v : x) {
            unmasked += v == NEG_INF ? 0 : 1;
        }
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] p = softmax(k, x, 0f);
            for (int i = 0; i < x.length; i++) {
                assertThat(p[i]).isEqualTo(x[i] == NEG_INF ? 0f : 1f / unmasked);
            }
        }
    }

    /**
     * softmax(x + c) = softmax(x) holds in real arithmetic only: x_i + c is rounded to float,
     * which moves each scaled logit by up to |beta| * ulp(x_i + c) / 2, and each side of the
     * comparison carries the kernel's own 8 ulp. The tolerance is exactly that sum (for p >= 1e-3).
     */
    @Property(tries = 300)
    void shiftInvariance(@ForAll("logits") float[] x, @ForAll("betas") float beta,
            @ForAll @FloatRange(min = -1000f, max = 1000f) float c) {
        float[] shifted = new float[x.length];
        double inputError = 0;
        for (int i = 0; i < x.length; i++) {
            shifted[i] = x[i] + c;
            if (x[i] != NEG_INF) {
                inputError = Math.max(inputError, Math.abs(beta) * Math.ulp(shifted[i]) / 2);
            }
        }
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] p = softmax(k, x, beta);
            float[] q = softmax(k, shifted, beta);
            for (int i = 0; i < x.length; i++) {
                if (p[i] >= 1e-3) {
                    // a logit moved by d changes p_i by at most a factor e^(2d) (its own and the normaliser)
                    double tol = p[i] * (Math.expm1(2 * inputError) + 2 * AccuracyTest.ULP_BOUND * EPS);
                    assertThat((double) q[i]).as("%s c=%s beta=%s", k.name(), c, beta).isCloseTo(p[i],
                            org.assertj.core.data.Offset.offset(tol));
                }
            }
        }
    }

    /** Two entries: softmax is the logistic function of the scaled difference. */
    @Property(tries = 500)
    void twoEntriesGiveTheLogistic(@ForAll @FloatRange(min = -40f, max = 40f) float a,
            @ForAll @FloatRange(min = -40f, max = 40f) float b, @ForAll("betas") float beta) {
        double logistic = 1 / (1 + Math.exp(-((double) beta * a - (double) beta * b)));
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] p = softmax(k, new float[] {a, b}, beta);
            if (logistic >= 1e-3) {
                assertThat(Math.abs(p[0] - logistic) / Math.ulp((float) logistic))
                        .as("%s a=%s b=%s beta=%s", k.name(), a, b, beta).isLessThanOrEqualTo(AccuracyTest.ULP_BOUND);
            } else {
                assertThat((double) p[0]).isLessThan(1e-3 * (1 + 16 * EPS));
            }
        }
    }

    private static float[] softmax(SoftmaxKernel k, float[] x, float beta) {
        float[] p = new float[x.length];
        k.softmax(x, 0, p, 0, x.length, beta);
        return p;
    }
}
