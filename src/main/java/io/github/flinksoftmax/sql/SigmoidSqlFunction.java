package io.github.flinksoftmax.sql;

import java.util.List;
import java.util.Optional;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code SIGMOID(logits ARRAY<FLOAT|DOUBLE> [, temperature DOUBLE])}: the logistic function
 * {@code 1 / (1 + exp(-z_i / T))} of each entry, for multi-label heads. Computed by the job's
 * kernel as the two-class softmax of {@code [z_i, 0]}, which is exactly the logistic function, so
 * it shares the kernel's accuracy and its rules: {@code -Infinity} gives exactly 0, NaN and
 * {@code +Infinity} make the row invalid. Element-wise, so an empty array gives an empty array.
 */
public class SigmoidSqlFunction extends KernelFunction {

    private static final long serialVersionUID = 1L;

    /** Invalid rows as the job parameter {@value OnInvalid#JOB_PARAMETER} says, NULL by default. */
    public SigmoidSqlFunction() {
        this(null);
    }

    public SigmoidSqlFunction(OnInvalid onInvalid) {
        super("SIGMOID", onInvalid);
    }

    public float[] eval(Float[] logits) {
        return eval(logits, 1.0);
    }

    public float[] eval(Float[] logits, Double temperature) {
        if (logits == null || temperature == null) {
            return null;
        }
        float beta = Temperature.beta(sqlName(), temperature);
        float[] x = Vectors.fromFloats(logits);
        return x == null ? invalid(NULL_ELEMENT) : sigmoid(x, beta);
    }

    public double[] eval(Double[] logits) {
        return eval(logits, 1.0);
    }

    public double[] eval(Double[] logits, Double temperature) {
        if (logits == null || temperature == null) {
            return null;
        }
        float beta = Temperature.beta(sqlName(), temperature);
        float[] x = Vectors.fromDoublesClamped(logits);
        if (x == null) {
            return invalid(NULL_ELEMENT);
        }
        float[] p = sigmoid(x, beta);
        return p == null ? null : Vectors.widen(p);
    }

    /** One kernel call over the {@code [K, 2]} block of rows {@code [z_i, 0]}; column 0 is the answer. */
    private float[] sigmoid(float[] x, float beta) {
        float[] pairs = new float[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            pairs[2 * i] = x[i];
        }
        float[] p = compute(pairs, x.length, 2, beta, false);
        if (p == null) {
            return null;
        }
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = p[2 * i];
        }
        return out;
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(new VectorTypeStrategy("logits", List.of("temperature"), List.of(DataTypes.DOUBLE()), 0))
                .outputTypeStrategy(call -> Optional.of(primitiveArrayOf(VectorTypeStrategy.elementOf(call))))
                .build();
    }
}
