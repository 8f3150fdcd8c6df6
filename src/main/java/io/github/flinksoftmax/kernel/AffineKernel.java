package io.github.flinksoftmax.kernel;

/**
 * One implementation of the affine map {@code z = W x + b} of a linear model over rows of a
 * {@code float[]}: {@code W} is {@code [k, d]} row-major, {@code b} has {@code k} entries, each input
 * row has {@code d} features and each output row {@code k} scores. Every implementation sums in the
 * order {@link AffineMath} fixes, so all of them write the same bits. Kernels assume valid input
 * (finite features, slices in bounds): the {@link Affine} facade checks once before calling.
 * Implementations are stateless and thread-safe; {@code x} and {@code z} must not overlap.
 */
public interface AffineKernel {

    /**
     * For each of {@code rows} rows {@code r}: {@code z[zOff + r*k + j] = b[j] + sum_i w[j*d + i] * x[xOff + r*d + i]}.
     */
    void apply(float[] w, float[] b, int k, int d, float[] x, int xOff, float[] z, int zOff, int rows);

    /** A short name for logs and metrics, such as {@code scalar} or {@code vector-256}. */
    String name();

    /** The vector width in bits this kernel computes with, or 0 for a scalar kernel. */
    default int vectorBits() {
        return 0;
    }
}
