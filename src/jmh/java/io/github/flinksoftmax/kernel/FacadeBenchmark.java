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
 * One record's softmax as the operator runs it: {@link Softmax#compute}, that is the row
 * validation and then the kernel, in place on a row of K Gaussian logits (refilled from a copy
 * each operation, as each record brings new values). {@link SoftmaxBenchmark} times the kernel
 * alone; the difference is what validating costs. {@code masked} puts one {@code -Infinity} in
 * the row, the input of a job that masks classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class FacadeBenchmark {

    @Param({"10", "1000", "32768"})
    int k;

    @Param({"vector", "scalar"})
    String kernel;

    @Param({"false", "true"})
    boolean masked;

    private Softmax softmax;
    private float[] logits;
    private float[] row;

    @Setup
    public void setup() {
        softmax = Softmax.create(kernel);
        logits = new float[k];
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < k; i++) {
            logits[i] = (float) (3 * r.nextGaussian());
        }
        if (masked) {
            logits[k / 2] = Float.NEGATIVE_INFINITY;
        }
        row = new float[k];
    }

    /* Not inlined into JMH's on-stack-compiled loop, for the reason SoftmaxBenchmark gives. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void compute(Blackhole bh) {
        System.arraycopy(logits, 0, row, 0, k);
        softmax.compute(row, 0, row, 0, 1, k, 1f, Activation.SOFTMAX);
        bh.consume(row);
    }
}
