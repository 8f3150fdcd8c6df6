package io.github.flinksoftmax.kernel;

/**
 * The validating facade over an {@link AffineKernel}: computes the scores {@code z = W x + b} of a
 * {@link LinearModel} for a {@code [rows, features]} block of feature vectors. It checks the slices
 * and every feature once (a NaN or infinite feature is refused before anything is written: unlike a
 * logit, a feature has no "masked" meaning for {@code -Infinity}); kernels behind it assume valid
 * input. Every kernel gives the same bits (see {@link AffineMath}). Immutable and thread-safe.
 */
public final class Affine {

    private final AffineKernel kernel;

    public Affine(AffineKernel kernel) {
        this.kernel = kernel;
    }

    /** The facade over the scalar kernel, whatever the JVM offers. */
    public static Affine scalar() {
        return new Affine(new ScalarAffineKernel());
    }

    /**
     * The facade over the kernel named by {@code choice} ({@code auto}, {@code vector} or
     * {@code scalar}), chosen as {@link Softmax#create(String)} chooses: call it where the work runs.
     *
     * @throws IllegalArgumentException for any other choice, or {@code vector} when the JVM cannot run it
     */
    public static Affine create(String choice) {
        return new Affine(KernelProvider.createAffine(choice));
    }

    /** The name of the kernel in use: {@code scalar} or {@code vector-<bits>}. */
    public String kernelName() {
        return kernel.name();
    }

    /**
     * Writes the {@code [rows, model.classes()]} scores of the {@code [rows, model.features()]}
     * block at {@code x[xOff]} to {@code z[zOff]}. Scores may overflow to infinity for finite
     * features and weights; callers that need finite scores check them (the softmax facade does).
     *
     * @throws NonFiniteFeatureException if a feature is NaN or infinite; nothing is written then
     * @throws IllegalArgumentException if a slice is out of bounds or {@code x} and {@code z} are the same array
     */
    public void apply(LinearModel model, float[] x, int xOff, float[] z, int zOff, int rows) {
        int d = model.features();
        int k = model.classes();
        if (rows < 0 || xOff < 0 || zOff < 0 || (long) xOff + (long) rows * d > x.length
                || (long) zOff + (long) rows * k > z.length) {
            throw new IllegalArgumentException(String.format(
                    "slice out of bounds: rows=%d features=%d classes=%d xOff=%d (length %d) zOff=%d (length %d)",
                    rows, d, k, xOff, x.length, zOff, z.length));
        }
        if (x == z) {
            throw new IllegalArgumentException("x and z must be different arrays: scores are written while features are read");
        }
        for (int i = 0; i < rows * d; i++) {
            if (!Float.isFinite(x[xOff + i])) {
                throw new NonFiniteFeatureException(i / d, i % d, x[xOff + i]);
            }
        }
        kernel.apply(model.weights(), model.biasArray(), k, d, x, xOff, z, zOff, rows);
    }

    /** A NaN or infinite feature, with where it is, so a caller can dead-letter the record without a second scan. */
    public static final class NonFiniteFeatureException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final int row;
        private final int feature;

        NonFiniteFeatureException(int row, int feature, float value) {
            super("feature " + feature + " of row " + row + " is " + value + "; features must be finite");
            this.row = row;
            this.feature = feature;
        }

        public int row() {
            return row;
        }

        public int feature() {
            return feature;
        }
    }
}
