package io.github.flinksoftmax.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The screen that lets the facade skip its row-by-row check ({@link SoftmaxKernel#finiteOrMasked}):
 * on every kernel path it must say whether the slice holds a NaN or {@code +Infinity}, for every special
 * value at every position (vector body and scalar tail), and the facade's verdicts must be those
 * of the exact check whether the screen passes or not.
 */
class FiniteScreenTest {

    /** Every kind of entry whose bits could fool a test on the exponent field or the sign. */
    private static final float[] SPECIALS = {
        Float.NaN, Float.intBitsToFloat(0x7F80_0001), Float.intBitsToFloat(0x7FFF_FFFF),
        Float.intBitsToFloat(0xFF80_0001), Float.intBitsToFloat(0xFFC0_0000), Float.intBitsToFloat(0xFFFF_FFFF),
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 0f, -0f,
        Math.nextDown(Float.POSITIVE_INFINITY), Math.nextUp(Float.NEGATIVE_INFINITY),
    };

    @Test
    void everyPathFindsEveryNaNAndPositiveInfinityAndPassesEveryOtherValueAtEveryPosition() {
        SplittableRandom random = new SplittableRandom(7);
        for (SoftmaxKernel kernel : KernelPaths.all()) {
            for (int len = 0; len <= 70; len++) {
                float[] row = new float[len + 3];
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (100 * random.nextGaussian());
                }
                assertThat(kernel.finiteOrMasked(row, 3, len)).as("%s, %d finite entries", kernel.name(), len).isTrue();
                for (int at = 0; at < len; at++) {
                    for (float special : SPECIALS) {
                        float kept = row[3 + at];
                        row[3 + at] = special;
                        assertThat(kernel.finiteOrMasked(row, 3, len))
                                .as("%s, length %d, bits %08x at %d", kernel.name(), len,
                                        Float.floatToRawIntBits(special), at)
                                .isEqualTo(!Float.isNaN(special) && special != Float.POSITIVE_INFINITY);
                        row[3 + at] = kept;
                    }
                }
            }
        }
    }

    @Test
    void theSliceBoundsAreRespected() {
        float[] x = new float[40];
        x[0] = Float.NaN;
        x[39] = Float.POSITIVE_INFINITY;
        x[20] = Float.NEGATIVE_INFINITY;
        for (SoftmaxKernel kernel : KernelPaths.all()) {
            assertThat(kernel.finiteOrMasked(x, 1, 38)).as(kernel.name()).isTrue();
            assertThat(kernel.finiteOrMasked(x, 0, 38)).as(kernel.name()).isFalse();
            assertThat(kernel.finiteOrMasked(x, 2, 38)).as(kernel.name()).isFalse();
        }
    }

    @Test
    void theFacadeGivesTheExactChecksVerdictOnEveryPath() {
        SplittableRandom random = new SplittableRandom(11);
        float[] entries = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -2f};
        for (SoftmaxKernel kernel : KernelPaths.all()) {
            Softmax softmax = new Softmax(kernel);
            for (int trial = 0; trial < 2_000; trial++) {
                int rows = 1 + random.nextInt(4);
                int cols = 1 + random.nextInt(40);
                float[] block = new float[rows * cols];
                for (int i = 0; i < block.length; i++) {
                    // mostly finite, so most blocks pass the screen and some rows fail the check
                    block[i] = random.nextInt(50) == 0 ? entries[random.nextInt(entries.length)]
                            : (float) random.nextGaussian();
                }
                if (random.nextInt(8) == 0) {
                    int r = random.nextInt(rows); // a fully masked row: the one defect the screen lets through
                    Arrays.fill(block, r * cols, (r + 1) * cols, Float.NEGATIVE_INFINITY);
                }
                for (Activation activation : Activation.values()) {
                    Softmax.InvalidRow expected = softmax.findDefect(block, 0, rows, cols, activation);
                    float[] out = new float[block.length];
                    Softmax.InvalidRowException thrown = catchThrowableOfType(
                            () -> softmax.compute(block, 0, out, 0, rows, cols, 1f, activation),
                            Softmax.InvalidRowException.class);
                    assertThat(thrown == null ? null : thrown.invalidRow())
                            .as("%s, %s, %d x %d", kernel.name(), activation, rows, cols).isEqualTo(expected);
                }
            }
        }
    }
}
