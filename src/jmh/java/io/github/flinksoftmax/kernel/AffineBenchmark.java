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
 * One record of multinomial logistic regression, {@code z = W x + b} then softmax, kernel against
 * kernel: the vector and scalar affine kernels (the same bits) and the textbook loop a user would
 * write ({@code naive}: one float accumulator per class, {@code Math.exp} softmax in double). One
 * operation is one feature vector of D through a [K, D] model; the weights (2 MB at the default
 * size) sit in L2/L3, as they do for a TaskManager scoring one model.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class AffineBenchmark {

    @Param({"512"})
    int d;

    @Param({"1000"})
    int k;

    @Param({"vector", "scalar", "naive"})
    String kernel;

    private AffineKernel affine;
    private SoftmaxKernel softmax;
    private LinearModel model;
    private float[] w;
    private float[] b;
    private float[] x;
    private float[] z;

    @Setup
    public void setup() {
        boolean naive = kernel.equals("naive");
        affine = naive ? null : KernelProvider.createAffine(kernel);
        softmax = naive ? null : KernelProvider.create(kernel);
        SplittableRandom r = new SplittableRandom(42);
        w = new float[k * d];
        b = new float[k];
        x = new float[d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() / Math.sqrt(d));
        }
        for (int j = 0; j < k; j++) {
            b[j] = (float) r.nextGaussian();
        }
        for (int i = 0; i < d; i++) {
            x[i] = (float) r.nextGaussian();
        }
        model = new LinearModel(w, b, k, d);
        w = model.weights();
        b = model.biasArray();
        z = new float[k];
        System.out.printf("%n[setup] kernel=%s d=%d k=%d%n", affine == null ? "naive" : affine.name(), d, k);
    }

    /** Kept out of line, as a Flink operator calls the kernel (see SoftmaxBenchmark). */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void affine(Blackhole bh) {
        if (affine == null) {
            naiveAffine();
        } else {
            affine.apply(w, b, k, d, x, 0, z, 0, 1);
        }
        bh.consume(z);
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void affineSoftmax(Blackhole bh) {
        if (affine == null) {
            naiveAffine();
            naiveSoftmax();
        } else {
            affine.apply(w, b, k, d, x, 0, z, 0, 1);
            softmax.softmax(z, 0, z, 0, k, 1f);
        }
        bh.consume(z);
    }

    private void naiveAffine() {
        for (int j = 0; j < k; j++) {
            float s = b[j];
            for (int i = 0; i < d; i++) {
                s += w[j * d + i] * x[i];
            }
            z[j] = s;
        }
    }

    private void naiveSoftmax() {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double e = Math.exp(z[j] - max);
            z[j] = (float) e;
            sum += e;
        }
        for (int j = 0; j < k; j++) {
            z[j] = (float) (z[j] / sum);
        }
    }
}
