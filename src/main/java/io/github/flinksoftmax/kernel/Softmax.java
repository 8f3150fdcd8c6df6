package io.github.flinksoftmax.kernel;

/**
 * The validating facade over a {@link SoftmaxKernel}: callers hand it whole {@code [rows, cols]}
 * blocks and an {@link Activation}, it checks each row once (see {@link RowDefect}; a block the
 * kernel's vector screen finds free of NaN and {@code +Infinity} needs only its fully masked rows
 * looked for) and runs the kernel row by row. Kernels behind it assume valid input.
 * {@link #compute} is the one place rows are validated: an invalid row comes back as an
 * {@link InvalidRowException} naming it, before anything is written, so callers need no check of
 * their own. Instances are immutable and thread-safe.
 */
public final class Softmax {

    private final SoftmaxKernel kernel;

    public Softmax(SoftmaxKernel kernel) {
        this.kernel = kernel;
    }

    /** The facade over the scalar kernel, whatever the JVM offers. */
    public static Softmax scalar() {
        return new Softmax(new ScalarSoftmaxKernel());
    }

    /**
     * The facade over the kernel named by {@code choice}: {@code auto} (the vector kernel when
     * {@code jdk.incubator.vector} is present, else the scalar one; decided once per JVM and
     * logged), {@code vector} or {@code scalar}. Call it where the work runs (a Flink operator's
     * {@code open()}), not on the client. Every kernel gives bit-identical output.
     *
     * @throws IllegalArgumentException for any other choice, or {@code vector} when the JVM was
     *     started without {@code --add-modules jdk.incubator.vector}
     */
    public static Softmax create(String choice) {
        return new Softmax(KernelProvider.create(choice));
    }

    /** {@link #create(String)} with the system property {@code softmax.kernel}, {@code auto} if unset. */
    public static Softmax create() {
        return create(System.getProperty(KernelProvider.PROPERTY, "auto"));
    }

    /** The name of the kernel in use, for logs and metrics: {@code scalar} or {@code vector-<bits>}. */
    public String kernelName() {
        return kernel.name();
    }

    /** The vector width the kernel computes with, in bits, for metrics; 0 for the scalar kernel. */
    public int vectorBits() {
        return kernel.vectorBits();
    }

    /**
     * Finds the first row of {@code src[off, off + rows * cols)} that softmax cannot take.
     *
     * @return {@code null} when every row is valid
     */
    public InvalidRow findDefect(float[] src, int off, int rows, int cols) {
        return findDefect(src, off, rows, cols, Activation.SOFTMAX);
    }

    /**
     * Finds the first row of {@code src[off, off + rows * cols)} that {@code activation} cannot
     * take (see {@link #check(float[], int, int, Activation)}).
     *
     * @return {@code null} when every row is valid
     */
    public InvalidRow findDefect(float[] src, int off, int rows, int cols, Activation activation) {
        if (cols == 0 && rows > 0) {
            return new InvalidRow(0, RowDefect.EMPTY);
        }
        for (int r = 0; r < rows; r++) {
            RowDefect defect = check(src, off + r * cols, cols, activation);
            if (defect != null) {
                return new InvalidRow(r, defect);
            }
        }
        return null;
    }

    /** The defect of one row for softmax, or {@code null} when it is valid. */
    public static RowDefect check(float[] src, int off, int len) {
        return check(src, off, len, Activation.SOFTMAX);
    }

    /**
     * The defect of one row for {@code activation}, or {@code null} when it is valid. An empty
     * row, a NaN and {@code +Infinity} are defects for every activation (a score that is not a
     * number, or a certainty no finite beta can scale); a row of nothing but {@code -Infinity}
     * only for softmax and log-softmax ({@link Activation#needsUnmaskedEntry()}).
     */
    public static RowDefect check(float[] src, int off, int len, Activation activation) {
        if (len == 0) {
            return RowDefect.EMPTY;
        }
        boolean anyUnmasked = false;
        for (int i = 0; i < len; i++) {
            float x = src[off + i];
            if (Float.isNaN(x)) {
                return RowDefect.NOT_A_NUMBER;
            }
            if (x == Float.POSITIVE_INFINITY) {
                return RowDefect.POSITIVE_INFINITY;
            }
            anyUnmasked |= x != Float.NEGATIVE_INFINITY;
        }
        return anyUnmasked || !activation.needsUnmaskedEntry() ? null : RowDefect.ALL_MASKED;
    }

    /**
     * Softmax (or log-softmax) of each row of {@code src} into {@code dst}: the same as
     * {@link #compute(float[], int, float[], int, int, int, float, Activation)} with
     * {@code LOG_SOFTMAX} or {@code SOFTMAX}.
     */
    public void compute(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols, float beta, boolean log) {
        compute(src, srcOff, dst, dstOff, rows, cols, beta, log ? Activation.LOG_SOFTMAX : Activation.SOFTMAX);
    }

    /**
     * {@code activation} of each row of {@code src} into {@code dst}; {@code src} and {@code dst}
     * may be the same slice. {@code beta} must be finite even for {@link Activation#NONE}, which
     * ignores it: a non-finite beta is a configuration fault whatever the activation.
     *
     * @throws InvalidRowException if a row is invalid; nothing has been written to {@code dst} then
     * @throws IllegalArgumentException if a slice is out of bounds or {@code beta} is not finite
     */
    public void compute(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols, float beta,
            Activation activation) {
        if (rows < 0 || cols < 0 || srcOff < 0 || dstOff < 0
                || (long) srcOff + (long) rows * cols > src.length
                || (long) dstOff + (long) rows * cols > dst.length) {
            throw new IllegalArgumentException(String.format(
                    "slice out of bounds: rows=%d cols=%d srcOff=%d (length %d) dstOff=%d (length %d)",
                    rows, cols, srcOff, src.length, dstOff, dst.length));
        }
        if (!Float.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite, got " + beta);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation must be one of SOFTMAX, LOG_SOFTMAX, SIGMOID, NONE; got null");
        }
        // the screen first: the exact check, a scalar loop with an exit per entry, cost more
        // than the kernel itself; past the screen only a fully masked row can still be a defect
        if (cols == 0 || !kernel.finiteOrMasked(src, srcOff, rows * cols)
                || activation.needsUnmaskedEntry() && anyRowFullyMasked(src, srcOff, rows, cols)) {
            InvalidRow bad = findDefect(src, srcOff, rows, cols, activation);
            if (bad != null) {
                throw new InvalidRowException(bad);
            }
        }
        kernel.computeRows(src, srcOff, dst, dstOff, rows, cols, beta, activation);
    }

    /** Whether a row is all {@code -Infinity}; a row's first entry nearly always settles it. */
    private static boolean anyRowFullyMasked(float[] src, int off, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int start = off + r * cols;
            int i = start;
            int end = start + cols;
            while (i < end && src[i] == Float.NEGATIVE_INFINITY) {
                i++;
            }
            if (i == end) {
                return true;
            }
        }
        return false;
    }

    /** A row found invalid, with the reason. */
    public record InvalidRow(int row, RowDefect defect) {}

    /**
     * Thrown by {@link #compute} for an invalid row. Unchecked, like the bounds checks beside it,
     * but carrying the row and defect so a caller that feeds it untrusted data (the Flink
     * operator) can turn it into a dead letter without validating the rows a second time.
     */
    public static final class InvalidRowException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final transient InvalidRow invalidRow;

        InvalidRowException(InvalidRow invalidRow) {
            super("row " + invalidRow.row() + " is invalid: " + invalidRow.defect());
            this.invalidRow = invalidRow;
        }

        public InvalidRow invalidRow() {
            return invalidRow;
        }
    }
}
