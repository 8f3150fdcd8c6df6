package io.github.flinksoftmax.kernel;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Row-wise softmax and log-softmax, and the entry-wise sigmoid beside them, kernel against kernel,
 * over a batch of rows small enough to stay in cache (16,384 floats per batch, or one row when K
 * is larger). {@code mathexp} is the plain loop over {@code Math.exp} (with a double sum for
 * softmax), the baseline the issue compares against. One operation is one batch, through
 * {@link SoftmaxKernel#computeRows} (what the facade calls after validation); divide by
 * {@code rows * k} (printed at setup) for ns per element. Sigmoid ignores the row length, so its
 * K only sets the batch size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class SoftmaxBenchmark {

    private static final int BATCH = 16_384;

    @Param({"10", "100", "1000", "32768", "262144"})
    int k;

    @Param({"vector", "scalar", "mathexp"})
    String kernel;

    /** {@code NONE} is left out: it is one {@code System.arraycopy}. */
    @Param({"SOFTMAX", "LOG_SOFTMAX", "SIGMOID"})
    Activation activation;

    private SoftmaxKernel impl;
    private float[] src;
    private float[] dst;
    private int rows;

    @Setup
    public void setup() {
        impl = kernel.equals("mathexp") ? null : KernelProvider.create(kernel);
        rows = Math.max(1, BATCH / k);
        src = new float[rows * k];
        dst = new float[rows * k];
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) (3 * r.nextGaussian());
        }
        System.out.printf("%n[setup] kernel=%s k=%d rows=%d elements=%d%n",
                impl == null ? "mathexp" : impl.name(), k, rows, rows * k);
    }

    /*
     * Not inlined into JMH's measurement loop: that loop is compiled on-stack (OSR), and on JDK 17
     * a kernel reached from it boxed four vectors per call (384 B/op at K >= 16384) and ran at half
     * speed, an artifact a normally compiled caller (a Flink operator) does not see.
     */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void softmax(Blackhole bh) {
        if (impl == null && activation == Activation.SIGMOID) {
            mathExpSigmoid(src, dst, rows * k, 1f);
        } else if (impl == null) {
            for (int r = 0; r < rows; r++) {
                mathExp(src, r * k, dst, r * k, k, 1f, activation == Activation.LOG_SOFTMAX);
            }
        } else {
            impl.computeRows(src, 0, dst, 0, rows, k, 1f, activation);
        }
        bh.consume(dst);
    }

    /**
     * The textbook stable sigmoid: one {@code Math.exp} of {@code -|beta * x|} in double and a
     * division, with no flush of tiny outputs and no care for the last ulp.
     */
    static void mathExpSigmoid(float[] src, float[] dst, int len, float beta) {
        for (int i = 0; i < len; i++) {
            double t = (double) beta * src[i];
            double e = Math.exp(-Math.abs(t));
            dst[i] = (float) (t < 0 ? e / (1 + e) : 1 / (1 + e));
        }
    }

    /** The textbook loop: max, Math.exp with a double sum, then scale (or subtract the log). */
    static void mathExp(float[] src, int so, float[] dst, int doff, int len, float beta, boolean log) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, beta * src[so + i]);
        }
        double sum = 0;
        for (int i = 0; i < len; i++) {
            float e = (float) Math.exp(beta * src[so + i] - max);
            dst[doff + i] = e;
            sum += e;
        }
        if (log) {
            float logSum = (float) Math.log(sum);
            for (int i = 0; i < len; i++) {
                dst[doff + i] = (beta * src[so + i] - max) - logSum;
            }
        } else {
            float inv = (float) (1 / sum);
            for (int i = 0; i < len; i++) {
                dst[doff + i] *= inv;
            }
        }
    }
}
