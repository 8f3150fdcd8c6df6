package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.kernel.Softmax;
import org.apache.flink.table.functions.FunctionContext;

/**
 * A {@link VectorFunction} that runs the product's softmax kernel. The kernel is chosen in
 * {@link #open}, on the TaskManager that runs the query, as the job does: the vector kernel when
 * the JVM has {@code jdk.incubator.vector}, else the scalar one with the same bits (system
 * property {@code softmax.kernel} forces one).
 */
public abstract class KernelFunction extends VectorFunction {

    private static final long serialVersionUID = 1L;

    private transient Softmax softmax;

    protected KernelFunction(String sqlName, OnInvalid configured) {
        super(sqlName, configured);
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        super.open(context);
        softmax = Softmax.create();
    }

    /**
     * {@code activation} along the last axis of the {@code [rows, cols]} block {@code x}, or
     * {@code null}/an error (see {@link OnInvalid}) when a row is invalid.
     */
    protected final float[] compute(float[] x, int rows, int cols, float beta, Activation activation) {
        float[] out = new float[x.length];
        try {
            softmax.compute(x, 0, out, 0, rows, cols, beta, activation);
        } catch (Softmax.InvalidRowException e) {
            return invalid(describe(e.invalidRow().defect()));
        }
        return out;
    }
}
