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

/**
 * The sigmoid's promises (docs/kernel.md) on every kernel path, for rows of 1 to 80 entries with
 * masked ones, scores in [-120, 120] and betas in [-4, 4], so that {@code beta * z} reaches well
 * past the flush to 0 near -87.34 and the saturation to 1 near 16.6.
 */
class SigmoidPropertiesTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    /** 2^-23: one ulp relative to a value in [1, 2). */
    private static final double EPS = 0x1p-23;

    @Provide
    Arbitrary<float[]> scores() {
        Arbitrary<Float> entry = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.floats().between(-120f, 120f)),
                Tuple.of(2, Arbitraries.floats().between(-3f, 3f)),
                Tuple.of(1, Arbitraries.just(NEG_INF)));
        return entry.array(float[].class).ofMinSize(1).ofMaxSize(80); // all masked is valid here
    }

    @Provide
    Arbitrary<Float> betas() {
        return Arbitraries.oneOf(Arbitraries.floats().between(-4f, 4f), Arbitraries.of(1f, -1f, 0f, 0.5f));
    }

    @Property(tries = 300)
    void outputsAreInRangeAndMaskedEntriesAreZero(@ForAll("scores") float[] z, @ForAll("betas") float beta) {
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] s = sigmoid(k, z, beta);
            for (int i = 0; i < z.length; i++) {
                assertThat(s[i]).as("%s z=%s beta=%s", k.name(), z[i], beta).isBetween(0f, 1f);
                if (z[i] == NEG_INF) {
                    assertThat(Float.floatToRawIntBits(s[i])).as("masked entry is exactly +0").isZero();
                } else if (beta == 0f) {
                    assertThat(s[i]).isEqualTo(0.5f);
                } else if (s[i] != 0f) {
                    assertThat(s[i]).as("flushed below 2^-126").isGreaterThanOrEqualTo(Float.MIN_NORMAL);
                }
            }
        }
    }

    /**
     * Larger scaled scores never get smaller outputs, up to 1 ulp: the exp polynomial is not
     * strictly monotone (a scan of every float in [-100, 100] at beta = 1 finds 2,680 steps down,
     * each of 1 ulp; one is pinned below). Beta < 0 reverses the order.
     */
    @Property(tries = 300)
    void orderIsKeptForPositiveBetaAndReversedForNegative(@ForAll("scores") float[] z, @ForAll("betas") float beta) {
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] s = sigmoid(k, z, beta);
            for (int i = 0; i < z.length; i++) {
                for (int j = 0; j < z.length; j++) {
                    if (z[i] != NEG_INF && z[j] != NEG_INF && (double) beta * z[i] <= (double) beta * z[j]) {
                        assertThat(s[i]).as("%s z=%s,%s beta=%s", k.name(), z[i], z[j], beta)
                                .isLessThanOrEqualTo(Math.nextUp(s[j]));
                    }
                }
            }
        }
    }

    /** The 1 ulp above is needed: here the output steps down from one float input to the next. */
    @Example
    void sigmoidStepsDownByOneUlpNearMinusAQuarter() {
        float z = -0.24999675f;
        assertThat(Float.floatToRawIntBits(SoftmaxMath.sigmoid(1f, Math.nextDown(z)))
                - Float.floatToRawIntBits(SoftmaxMath.sigmoid(1f, z))).isEqualTo(1);
    }

    /**
     * sigmoid(beta * z) is softmax over {0, z} at the second entry: both within their own bounds
     * of the same number (softmax 8 ulp for p >= 1e-3, sigmoid 4), so within 12 ulp of each other;
     * below 1e-3 softmax promises no ulp bound, only that it stays below 1e-3 too.
     */
    @Property(tries = 500)
    void equalsTwoEntrySoftmax(@ForAll @FloatRange(min = -120f, max = 120f) float z, @ForAll("betas") float beta) {
        for (SoftmaxKernel k : KernelPaths.all()) {
            float s = sigmoid(k, new float[] {z}, beta)[0];
            float[] p = new float[2];
            k.softmax(new float[] {0f, z}, 0, p, 0, 2, beta);
            if (s >= 1e-3) {
                assertThat((double) Math.abs(s - p[1]) / Math.ulp(s)).as("%s z=%s beta=%s: %s vs %s", k.name(), z, beta, s, p[1])
                        .isLessThanOrEqualTo(AccuracyTest.ULP_BOUND + AccuracyTest.SIGMOID_ULP_BOUND);
            } else {
                assertThat((double) p[1]).as("%s z=%s beta=%s", k.name(), z, beta).isLessThan(1e-3 * (1 + 16 * EPS));
            }
        }
    }

    /**
     * sigmoid(-t) = 1 - sigmoid(t): each side within 4 ulp of its true value, so the sum is 1
     * within 4 ulp of each (computed in double, exactly). Both come from the same {@code e}.
     */
    @Property(tries = 500)
    void symmetry(@ForAll @FloatRange(min = -120f, max = 120f) float z, @ForAll("betas") float beta) {
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] s = sigmoid(k, new float[] {z, -z}, beta);
            double tol = AccuracyTest.SIGMOID_ULP_BOUND * (Math.ulp(s[0]) + Math.ulp(s[1]));
            assertThat(Math.abs((double) s[0] + s[1] - 1)).as("%s z=%s beta=%s: %s + %s", k.name(), z, beta, s[0], s[1])
                    .isLessThanOrEqualTo(tol);
        }
    }

    /** The accuracy bound on random rows: outputs of at least 2^-126 within 4 ulp of the double reference. */
    @Property(tries = 300)
    void within4UlpOfTheReference(@ForAll("scores") float[] z, @ForAll("betas") float beta) {
        for (SoftmaxKernel k : KernelPaths.all()) {
            float[] s = sigmoid(k, z, beta);
            for (int i = 0; i < z.length; i++) {
                double ref = Reference.sigmoid(z[i], beta);
                assertThat(AccuracyTest.sigmoidUlps(s[i], ref)).as("%s z=%s beta=%s: %s vs %s", k.name(), z[i], beta, s[i], ref)
                        .isLessThanOrEqualTo(AccuracyTest.SIGMOID_ULP_BOUND);
            }
        }
    }

    private static float[] sigmoid(SoftmaxKernel k, float[] z, float beta) {
        float[] s = new float[z.length];
        k.sigmoid(z, 0, s, 0, z.length, beta);
        return s;
    }
}
