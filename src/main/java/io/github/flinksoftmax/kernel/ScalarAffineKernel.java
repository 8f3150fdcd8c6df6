package io.github.flinksoftmax.kernel;

import static io.github.flinksoftmax.kernel.SoftmaxMath.LANES;

import java.util.Arrays;

/**
 * Plain-Java {@code W x + b}: the fallback where {@code jdk.incubator.vector} is absent, and the
 * definition the vector kernel reproduces bit for bit. It keeps the 16 logical lanes of
 * {@link AffineMath} in a small array, so the products are added in the order a 512-bit register
 * adds them. Stateless and thread-safe.
 */
public final class ScalarAffineKernel implements AffineKernel {

    private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);

    @Override
    public void apply(float[] w, float[] b, int k, int d, float[] x, int xOff, float[] z, int zOff, int rows) {
        float[] lanes = LANE_SCRATCH.get();
        int blocked = d - d % LANES;
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * d;
            for (int j = 0; j < k; j++) {
                int wo = j * d;
                Arrays.fill(lanes, 0f);
                for (int i = 0; i < blocked; i++) {
                    int lane = i & (LANES - 1);
                    lanes[lane] = Math.fma(w[wo + i], x[xo + i], lanes[lane]);
                }
                z[zOff + r * k + j] = AffineMath.finish(lanes, w, wo, x, xo, blocked, d, b[j]);
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
