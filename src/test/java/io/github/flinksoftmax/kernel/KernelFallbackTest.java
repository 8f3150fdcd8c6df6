package io.github.flinksoftmax.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Runs twice: in the default test JVM (with {@code --add-modules jdk.incubator.vector}) and in
 * the surefire execution {@code kernel-fallback} without it. Either way {@code auto} must pick
 * what the JVM offers and produce the same bits, pinned here as a checksum, so the scalar
 * fallback is proven to match the vector kernel even though they never share a JVM.
 */
class KernelFallbackTest {

    /** CRC32 of the output bits of {@link #checksum()}; the same with and without the module. */
    private static final long GOLDEN = 0x8e130e08L;
    /** The same for sigmoid, kept apart so the softmax checksum above stays what it was. */
    private static final long SIGMOID_GOLDEN = 0x8d65dd57L;
    /** The same for {@code W x + b} ({@link #affineChecksum}). */
    private static final long AFFINE_GOLDEN = 0xa0c7aec9L;

    @Test
    void autoPicksWhatTheJvmOffersAndGivesTheGoldenBits() {
        Softmax auto = Softmax.create("auto");
        if (KernelProvider.vectorModulePresent()) {
            assertThat(auto.kernelName()).startsWith("vector-");
        } else {
            assertThat(auto.kernelName()).isEqualTo("scalar");
            assertThat(auto.vectorBits()).isZero();
            assertThatThrownBy(() -> Softmax.create("vector"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--add-modules jdk.incubator.vector");
        }
        assertThat(Long.toHexString(checksum(auto))).as(auto.kernelName()).isEqualTo(Long.toHexString(GOLDEN));
        assertThat(checksum(Softmax.scalar())).isEqualTo(GOLDEN);
        assertThat(Long.toHexString(sigmoidChecksum(auto))).as(auto.kernelName())
                .isEqualTo(Long.toHexString(SIGMOID_GOLDEN));
        assertThat(sigmoidChecksum(Softmax.scalar())).isEqualTo(SIGMOID_GOLDEN);
        Affine affine = Affine.create("auto");
        assertThat(affine.kernelName()).isEqualTo(auto.kernelName());
        assertThat(Long.toHexString(affineChecksum(affine))).as(affine.kernelName())
                .isEqualTo(Long.toHexString(AFFINE_GOLDEN));
        assertThat(affineChecksum(Affine.scalar())).isEqualTo(AFFINE_GOLDEN);
    }

    /** {@code W x + b} of Gaussian models and features, one per feature count of {@link Rows#SIZES}, hashed. */
    static long affineChecksum(Affine affine) {
        CRC32 crc = new CRC32();
        java.util.SplittableRandom r = new java.util.SplittableRandom(18);
        for (int d : Rows.SIZES) {
            int k = 1 + r.nextInt(9);
            float[] w = new float[k * d];
            float[] b = new float[k];
            float[] x = new float[2 * d];
            for (float[] a : new float[][] {w, b, x}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) r.nextGaussian();
                }
            }
            float[] z = new float[2 * k];
            affine.apply(new LinearModel(w, b, k, d), x, 0, z, 0, 2);
            update(crc, z);
        }
        return crc.getValue();
    }

    /** Softmax and log-softmax of every {@link Rows} row at every beta, hashed bit for bit. */
    static long checksum(Softmax softmax) {
        CRC32 crc = new CRC32();
        for (Rows.Row row : Rows.all()) {
            float[] out = new float[row.len()];
            for (float beta : Rows.BETAS) {
                for (boolean log : new boolean[] {false, true}) {
                    softmax.compute(row.x(), Rows.OFF, out, 0, 1, row.len(), beta, log);
                    update(crc, out);
                }
            }
        }
        return crc.getValue();
    }

    /** Sigmoid of every {@link Rows} row at every beta, hashed bit for bit. */
    static long sigmoidChecksum(Softmax softmax) {
        CRC32 crc = new CRC32();
        for (Rows.Row row : Rows.all()) {
            float[] out = new float[row.len()];
            for (float beta : Rows.BETAS) {
                softmax.compute(row.x(), Rows.OFF, out, 0, 1, row.len(), beta, Activation.SIGMOID);
                update(crc, out);
            }
        }
        return crc.getValue();
    }

    private static void update(CRC32 crc, float[] out) {
        for (float v : out) {
            int b = Float.floatToRawIntBits(v);
            crc.update(b >>> 24);
            crc.update(b >>> 16);
            crc.update(b >>> 8);
            crc.update(b);
        }
    }
}
