package io.github.flinksoftmax.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scalar kernel and the vector kernel at 128, 256 and 512 bits must write the same bits, for
 * every {@link Activation}.
 */
class BitIdentityTest {

    private static final float SENTINEL = Float.intBitsToFloat(0x7fc0_1234); // a NaN no kernel writes
    private static final Activation[] ACTIVATIONS = Activation.values();

    @Test
    void everyPathWritesTheSameBits() {
        List<SoftmaxKernel> kernels = KernelPaths.all();
        assertThat(kernels).extracting(SoftmaxKernel::name)
                .containsExactly("scalar", "vector-128", "vector-256", "vector-512");
        int compared = 0;
        for (Rows.Row row : Rows.all()) {
            for (float beta : Rows.BETAS) {
                for (Activation act : ACTIVATIONS) {
                    int[] expected = run(kernels.get(0), row, beta, act);
                    for (SoftmaxKernel k : kernels.subList(1, kernels.size())) {
                        assertThat(run(k, row, beta, act))
                                .as("%s vs scalar on %s beta=%s %s", k.name(), row, beta, act)
                                .isEqualTo(expected);
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(3 * ACTIVATIONS.length * Rows.BETAS.length * Rows.all().size());
    }

    @Test
    void inPlaceMatchesOutOfPlace() {
        for (SoftmaxKernel k : KernelPaths.all()) {
            for (Rows.Row row : Rows.all()) {
                for (Activation act : ACTIVATIONS) {
                    int[] expected = run(k, row, -0.3f, act);
                    float[] buf = row.x().clone();
                    compute(k, buf, Rows.OFF, buf, Rows.OFF, row.len(), -0.3f, act);
                    int[] got = bits(buf, Rows.OFF, row.len());
                    assertThat(got).as("%s in place on %s %s", k.name(), row, act)
                            .isEqualTo(Arrays.copyOfRange(expected, 2, 2 + row.len()));
                }
            }
        }
    }

    /** Batches of short rows may be computed across rows; the bits must match row-by-row scalar output. */
    @Test
    void batchesOfShortRowsMatchRowByRow() {
        // 701 rows of 3 or more entries span more than one group of the vector kernel's scratch
        for (int rows : new int[] {37, 701}) {
            for (int cols : new int[] {1, 2, 3, 7, 10, 15, 16, 17}) {
                Rows.Row block = Rows.make("batch", rows * cols, cols,
                        r -> r.nextInt(6) == 0 ? Float.NEGATIVE_INFINITY : (float) (5 * r.nextGaussian()));
                float[] x = block.x();
                for (int r = 0; r < rows; r++) {
                    x[Rows.OFF + r * cols] = r % 3 == 0 ? 1e4f : 0.5f; // no row fully masked
                }
                x[Rows.OFF + cols] = 3e38f; // one row whose scaled logits overflow for |beta| > 1
                for (float beta : Rows.BETAS) {
                    for (Activation act : ACTIVATIONS) {
                        float[] expected = new float[rows * cols];
                        SoftmaxKernel scalar = KernelPaths.all().get(0);
                        for (int r = 0; r < rows; r++) {
                            compute(scalar, x, Rows.OFF + r * cols, expected, r * cols, cols, beta, act);
                        }
                        for (SoftmaxKernel k : KernelPaths.all()) {
                            float[] out = new float[rows * cols + 1];
                            k.computeRows(x, Rows.OFF, out, 1, rows, cols, beta, act);
                            assertThat(bits(out, 1, rows * cols)).as("%s cols=%d beta=%s %s", k.name(), cols, beta, act)
                                    .isEqualTo(bits(expected, 0, rows * cols));
                            float[] buf = x.clone();
                            k.computeRows(buf, Rows.OFF, buf, Rows.OFF, rows, cols, beta, act);
                            assertThat(bits(buf, Rows.OFF, rows * cols)).as("%s in place cols=%d beta=%s %s",
                                    k.name(), cols, beta, act).isEqualTo(bits(expected, 0, rows * cols));
                        }
                    }
                }
            }
        }
    }

    /**
     * Sigmoid over the values where its branches meet: both sides of 0, the flush to 0 near
     * {@code beta * x = -87.34}, the cut-off at -87.5, products that overflow or underflow, masked
     * entries; then 200,003 random bit patterns (every finite float is as likely as any other).
     * Betas include 0 (every output 1/2), negative ones (masked entries must still give +0) and
     * ones so large or small that {@code beta * x} leaves the float range. A fully masked block
     * is valid input for sigmoid.
     */
    @Test
    void sigmoidWritesTheSameBitsOnEdgesAndRandomPatterns() {
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, -1e-30f, 0.5f, -0.5f,
            1f, -1f, 15.9f, -15.9f, 16.7f, -16.7f, 87.3f, -87.3f, 87.33654f, -87.33654f, 87.34f, -87.34f,
            87.5f, -87.5f, Math.nextDown(-87.5f), 87.6f, -87.6f, 88.8f, -88.8f, 103.97f, -103.97f, 1e4f, -1e4f,
            3e38f, -3e38f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        SplittableRandom random = new SplittableRandom(18);
        float[] x = new float[Rows.OFF + edges.length + 200_003];
        System.arraycopy(edges, 0, x, Rows.OFF, edges.length);
        for (int i = Rows.OFF + edges.length; i < x.length; i++) {
            float v = Float.intBitsToFloat(random.nextInt());
            x[i] = Float.isFinite(v) ? v : Float.NEGATIVE_INFINITY;
        }
        float[] masked = new float[40];
        Arrays.fill(masked, Float.NEGATIVE_INFINITY);
        float[] betas = {1f, -1f, 0f, -0f, 0.7f, -2.5f, 1e-3f, 1e30f, -1e30f, Float.MIN_VALUE, 1e-38f, 1e-42f};
        SoftmaxKernel scalar = KernelPaths.all().get(0);
        for (float beta : betas) {
            for (float[] in : new float[][] {x, masked}) {
                int n = in.length - Rows.OFF;
                float[] expected = new float[n];
                scalar.sigmoid(in, Rows.OFF, expected, 0, n, beta);
                for (int i = 0; i < n; i++) {
                    if (in[Rows.OFF + i] == Float.NEGATIVE_INFINITY) {
                        assertThat(Float.floatToRawIntBits(expected[i])).as("masked, beta=%s", beta).isZero();
                    }
                }
                for (SoftmaxKernel k : KernelPaths.all()) {
                    float[] out = new float[n];
                    k.computeRows(in, Rows.OFF, out, 0, 1, n, beta, Activation.SIGMOID);
                    assertThat(bits(out, 0, n)).as("%s beta=%s", k.name(), beta).isEqualTo(bits(expected, 0, n));
                    float[] buf = in.clone();
                    k.computeRows(buf, Rows.OFF, buf, Rows.OFF, n / 7, 7, beta, Activation.SIGMOID);
                    assertThat(bits(buf, Rows.OFF, n / 7 * 7)).as("%s in place beta=%s", k.name(), beta)
                            .isEqualTo(bits(expected, 0, n / 7 * 7));
                }
            }
        }
    }

    /**
     * The vector kernel's batched log (short rows' log-softmax) must give SoftmaxMath's bits for
     * every sum a row can have, at each width: random sums from 7/8 to 2^22, powers of two, and
     * the neighbours of sqrt(2) times a power of two, where the mantissa reduction switches.
     */
    @Test
    void batchedLogsMatchTheScalarLog() throws ReflectiveOperationException {
        SplittableRandom random = new SplittableRandom(7);
        double[] sums = new double[4099]; // not a multiple of any width: the scalar tail runs too
        int i = 0;
        for (int e = -1; e < 22; e++) {
            double sqrt2 = Math.scalb(1.4142135623730951, e);
            for (double s : new double[] {Math.scalb(1.0, e), Math.nextUp(Math.scalb(1.0, e)), sqrt2,
                    Math.nextDown(sqrt2), Math.nextUp(sqrt2)}) {
                sums[i++] = Math.max(s, 0.875);
            }
        }
        while (i < sums.length) {
            sums[i++] = (float) Math.scalb(0.875 + random.nextDouble() * 1.125, random.nextInt(23)); // a float sum
        }
        for (SoftmaxKernel k : KernelPaths.all().subList(1, 4)) {
            Method logs = k.getClass().getDeclaredMethod("logInPlace", double[].class, int.class);
            logs.setAccessible(true);
            double[] got = sums.clone();
            logs.invoke(null, got, got.length);
            for (int j = 0; j < sums.length; j++) {
                assertThat(Double.doubleToRawLongBits(got[j])).as("%s log(%s)", k.name(), sums[j])
                        .isEqualTo(Double.doubleToRawLongBits(SoftmaxMath.logWide(sums[j])));
            }
        }
    }

    /** Output bits, with two sentinel slots either side to catch writes outside the slice. */
    private static int[] run(SoftmaxKernel k, Rows.Row row, float beta, Activation act) {
        float[] dst = new float[row.len() + 4];
        Arrays.fill(dst, SENTINEL);
        compute(k, row.x(), Rows.OFF, dst, 2, row.len(), beta, act);
        assertThat(Float.floatToRawIntBits(dst[1])).isEqualTo(Float.floatToRawIntBits(SENTINEL));
        assertThat(Float.floatToRawIntBits(dst[dst.length - 2])).isEqualTo(Float.floatToRawIntBits(SENTINEL));
        return bits(dst, 0, dst.length);
    }

    /** One row through the kernel's per-row entry point for {@code activation}. */
    static void compute(SoftmaxKernel k, float[] src, int so, float[] dst, int doff, int len, float beta,
            Activation activation) {
        switch (activation) {
            case SOFTMAX:
                k.softmax(src, so, dst, doff, len, beta);
                break;
            case LOG_SOFTMAX:
                k.logSoftmax(src, so, dst, doff, len, beta);
                break;
            case SIGMOID:
                k.sigmoid(src, so, dst, doff, len, beta);
                break;
            default:
                System.arraycopy(src, so, dst, doff, len);
        }
    }

    static int[] bits(float[] a, int off, int len) {
        int[] b = new int[len];
        for (int i = 0; i < len; i++) {
            b[i] = Float.floatToRawIntBits(a[off + i]);
        }
        return b;
    }
}
