package io.github.flinksoftmax.kernel;

/**
 * One implementation of row-wise softmax, and of the entry-wise activations beside it (see
 * {@link Activation}), over a slice of a {@code float[]}. Kernels assume their input is valid (at
 * least one entry, every entry finite or {@code -Infinity}, and for softmax at least one finite):
 * the {@link Softmax} facade checks that once per row before calling. Implementations
 * are stateless and thread-safe; {@code src} and {@code dst} may be the same array (in place).
 *
 * <p>{@code beta} scales the inputs ({@code beta = ln(base) = 1/temperature}); it may be negative
 * (base below 1 favours the smallest inputs) or zero (uniform over the unmasked entries). A
 * {@code -Infinity} entry is masked: its probability is exactly 0 (log-probability
 * {@code -Infinity}) whatever the sign of beta.
 */
public interface SoftmaxKernel {

    /** Writes {@code softmax(beta * src[srcOff, srcOff + len))} to {@code dst[dstOff, dstOff + len)}. */
    void softmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta);

    /** Writes the log-softmax of the same row, computed directly, never as {@code log(softmax)}. */
    void logSoftmax(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta);

    /**
     * Writes {@code sigmoid(beta * src[i])} for each entry of the slice, independently (see
     * {@link SoftmaxMath#sigmoid}); masked entries give exactly {@code +0}. {@code len} may span
     * several rows: nothing crosses entries.
     */
    void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int len, float beta);

    /**
     * The activation of each row of a {@code [rows, cols]} block, row after row. Kernels may
     * override it to work across rows when rows are short; the output must be the same bits.
     * {@link Activation#NONE} copies the block and ignores {@code beta}.
     */
    default void computeRows(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols, float beta,
            Activation activation) {
        switch (activation) {
            case NONE:
                System.arraycopy(src, srcOff, dst, dstOff, rows * cols);
                return;
            case SIGMOID:
                // entry by entry: the whole block is one slice, so short rows still fill vectors
                sigmoid(src, srcOff, dst, dstOff, rows * cols, beta);
                return;
            default:
                boolean log = activation == Activation.LOG_SOFTMAX;
                for (int r = 0; r < rows; r++) {
                    int s = srcOff + r * cols;
                    int d = dstOff + r * cols;
                    if (log) {
                        logSoftmax(src, s, dst, d, cols, beta);
                    } else {
                        softmax(src, s, dst, d, cols, beta);
                    }
                }
        }
    }

    /**
     * Whether every entry of the slice is finite or {@code -Infinity} (masked): a screen the
     * {@link Softmax} facade runs over a whole block, so that only a block holding a NaN or
     * {@code +Infinity} goes through its exact row-by-row check. It answers for the block at once,
     * without an exit per entry, so kernels can compute it with vectors.
     */
    default boolean finiteOrMasked(float[] src, int off, int len) {
        for (int i = 0; i < len; i++) {
            float x = src[off + i];
            if (x != x || x == Float.POSITIVE_INFINITY) {
                return false;
            }
        }
        return true;
    }

    /** A short name for logs and metrics, such as {@code scalar} or {@code vector-256}. */
    String name();

    /** The vector width in bits this kernel computes with, or 0 for a scalar kernel. */
    default int vectorBits() {
        return 0;
    }
}
