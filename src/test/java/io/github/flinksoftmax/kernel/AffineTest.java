package io.github.flinksoftmax.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code W x + b}: every kernel path (scalar, vector at 128, 256 and 512 bits) writes the same
 * bits, within the bound {@link AffineMath} states against a double-precision reference, on odd
 * feature and class counts, at non-zero offsets, one row at a time and in batches.
 */
class AffineTest {

    private static final int[] FEATURES = {1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 100, 512, 1000};
    private static final int[] CLASSES = {1, 2, 3, 4, 5, 7, 13};
    private static final int OFF = 3;
    /** A float no kernel writes for these inputs, to see a kernel write outside its slice. */
    private static final float SENTINEL = Float.intBitsToFloat(0x7fc0_1234);

    /** Weights and features of ordinary size, of mixed magnitudes (cancellation), and near overflow. */
    private enum Values {
        GAUSS, MIXED, LARGE;

        float next(SplittableRandom r) {
            return switch (this) {
                case GAUSS -> (float) r.nextGaussian();
                case MIXED -> (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-15, 15)));
                case LARGE -> (float) (r.nextDouble(-1, 1) * 1e17);
            };
        }
    }

    @Test
    void everyPathWritesTheSameBitsWithinTheBound() {
        List<AffineKernel> kernels = KernelPaths.affine();
        assertThat(kernels).extracting(AffineKernel::name)
                .containsExactly("scalar", "vector-128", "vector-256", "vector-512");
        int compared = 0;
        double worst = 0;
        for (Values values : Values.values()) {
            for (int d : FEATURES) {
                for (int k : CLASSES) {
                    SplittableRandom r = new SplittableRandom(31L * d + k + values.ordinal());
                    LinearModel model = model(r, k, d, values);
                    int rows = 3;
                    float[] x = features(r, rows, d, values);
                    int[] expected = null;
                    for (AffineKernel kernel : kernels) {
                        float[] z = new float[rows * k + 2];
                        Arrays.fill(z, SENTINEL);
                        new Affine(kernel).apply(model, x, OFF, z, 1, rows);
                        assertThat(Float.floatToRawIntBits(z[0])).isEqualTo(Float.floatToRawIntBits(SENTINEL));
                        assertThat(Float.floatToRawIntBits(z[z.length - 1])).isEqualTo(Float.floatToRawIntBits(SENTINEL));
                        int[] got = bits(z, 1, rows * k);
                        if (expected == null) {
                            expected = got;
                            worst = Math.max(worst, checkBound(model, x, z, rows, values + " d=" + d + " k=" + k));
                        } else {
                            assertThat(got).as("%s vs scalar, %s d=%d k=%d", kernel.name(), values, d, k)
                                    .isEqualTo(expected);
                            compared++;
                        }
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(3 * Values.values().length * FEATURES.length * CLASSES.length);
        // the bound is not vacuous: some score uses a visible part of it
        System.out.println("AffineTest: worst error " + worst + " of the bound");
        assertThat(worst).isGreaterThan(0.01);
    }

    /** A batch of rows gives, row for row, the bits of one row at a time. */
    @Test
    void batchesMatchRowByRow() {
        SplittableRandom r = new SplittableRandom(7);
        int d = 37;
        int k = 11;
        int rows = 50;
        LinearModel model = model(r, k, d, Values.GAUSS);
        float[] x = features(r, rows, d, Values.GAUSS);
        for (AffineKernel kernel : KernelPaths.affine()) {
            Affine affine = new Affine(kernel);
            float[] batch = new float[rows * k];
            affine.apply(model, x, OFF, batch, 0, rows);
            for (int row = 0; row < rows; row++) {
                float[] one = new float[k];
                affine.apply(model, x, OFF + row * d, one, 0, 1);
                assertThat(bits(batch, row * k, k)).as("%s row %d", kernel.name(), row).isEqualTo(bits(one, 0, k));
            }
        }
    }

    /** The sum of 16 equal products shows the tree: exact, and independent of the path. */
    @Test
    void exactSumsAreExact() {
        float[] w = new float[3 * 40];
        Arrays.fill(w, 0.5f);
        float[] b = {1f, -20f, 0f};
        LinearModel model = new LinearModel(w, b, 3, 40);
        float[] x = new float[40];
        Arrays.fill(x, 2f);
        for (AffineKernel kernel : KernelPaths.affine()) {
            float[] z = new float[3];
            new Affine(kernel).apply(model, x, 0, z, 0, 1);
            assertThat(z).as(kernel.name()).containsExactly(41f, 20f, 40f);
        }
    }

    @Test
    void nonFiniteFeaturesAreRefusedBeforeAnythingIsWritten() {
        LinearModel model = new LinearModel(new float[] {1, 2, 3, 4, 5, 6}, new float[] {0, 0}, 2, 3);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = {1, 2, 3, 4, bad, 6};
            float[] z = new float[4];
            assertThatThrownBy(() -> Affine.scalar().apply(model, x, 0, z, 0, 2))
                    .isInstanceOfSatisfying(Affine.NonFiniteFeatureException.class, e -> {
                        assertThat(e.row()).isEqualTo(1);
                        assertThat(e.feature()).isEqualTo(1);
                    })
                    .hasMessageContaining("feature 1 of row 1 is " + bad);
            assertThat(z).containsOnly(0f);
        }
    }

    @Test
    void slicesOutOfBoundsAndAliasedArraysAreRefused() {
        LinearModel model = new LinearModel(new float[] {1, 2, 3, 4, 5, 6}, new float[] {0, 0}, 2, 3);
        assertThatThrownBy(() -> Affine.scalar().apply(model, new float[5], 0, new float[2], 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of bounds");
        assertThatThrownBy(() -> Affine.scalar().apply(model, new float[3], 0, new float[1], 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of bounds");
        float[] same = new float[6];
        assertThatThrownBy(() -> Affine.scalar().apply(model, same, 0, same, 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different arrays");
    }

    @Test
    void theModelChecksItsShapeAndWeights() {
        assertThatThrownBy(() -> new LinearModel(new float[5], new float[2], 2, 3))
                .hasMessageContaining("the weights hold 5 values; a 2 x 3 model needs 6");
        assertThatThrownBy(() -> new LinearModel(new float[6], new float[3], 2, 3))
                .hasMessageContaining("the intercept holds 3 values; expected one per class (2)");
        assertThatThrownBy(() -> new LinearModel(new float[] {0, 0, 0, 0, Float.NaN, 0}, new float[2], 2, 3))
                .hasMessageContaining("weight [1, 1] is NaN");
        assertThatThrownBy(() -> new LinearModel(new float[6], new float[] {0, Float.NEGATIVE_INFINITY}, 2, 3))
                .hasMessageContaining("intercept [1] is -Infinity");
        assertThatThrownBy(() -> new LinearModel(new float[0], new float[0], 0, 3))
                .hasMessageContaining("at least one class and one feature");
    }

    @Test
    void autoAndScalarAreAvailableAndNamed() {
        assertThat(Affine.create("scalar").kernelName()).isEqualTo("scalar");
        Affine auto = Affine.create("auto");
        assertThat(auto.kernelName()).isEqualTo(Softmax.create("auto").kernelName());
        assertThatThrownBy(() -> Affine.create("fast")).hasMessageContaining("auto, vector, scalar");
    }

    /**
     * Checks every score against {@code sum w x + b} in double (whose own error, about
     * {@code d * 2^-53} of the sum of magnitudes, is far inside the float bound) and returns the
     * largest fraction of the bound used.
     */
    static double checkBound(LinearModel model, float[] x, float[] z, int rows, String what) {
        int d = model.features();
        int k = model.classes();
        int n = AffineMath.roundings(d);
        double u = 0x1p-24;
        double gamma = n * u / (1 - n * u);
        double worst = 0;
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < k; j++) {
                double exact = model.bias(j);
                double magnitude = Math.abs(model.bias(j));
                for (int i = 0; i < d; i++) {
                    double p = (double) model.weight(j, i) * x[OFF + row * d + i];
                    exact += p;
                    magnitude += Math.abs(p);
                }
                double err = Math.abs(z[1 + row * k + j] - exact);
                double bound = gamma * magnitude + Float.MIN_VALUE;
                assertThat(err).as("%s row %d class %d: %s vs %s", what, row, j, z[1 + row * k + j], exact)
                        .isLessThanOrEqualTo(bound);
                worst = Math.max(worst, err / bound);
            }
        }
        return worst;
    }

    static LinearModel model(SplittableRandom r, int k, int d, Values values) {
        float[] w = new float[k * d];
        float[] b = new float[k];
        for (int i = 0; i < w.length; i++) {
            w[i] = values.next(r);
        }
        for (int j = 0; j < k; j++) {
            b[j] = values.next(r);
        }
        return new LinearModel(w, b, k, d);
    }

    private static float[] features(SplittableRandom r, int rows, int d, Values values) {
        float[] x = new float[OFF + rows * d + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = values.next(r);
        }
        return x;
    }

    private static int[] bits(float[] a, int off, int len) {
        int[] out = new int[len];
        for (int i = 0; i < len; i++) {
            out[i] = Float.floatToRawIntBits(a[off + i]);
        }
        return out;
    }
}
