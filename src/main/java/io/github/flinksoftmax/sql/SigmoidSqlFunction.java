package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code SIGMOID(logits ARRAY<FLOAT|DOUBLE> [, temperature DOUBLE])}: the logistic function
 * {@code 1 / (1 + exp(-z_i / T))} of each entry, for multi-label heads. Computed by the job's
 * kernel ({@link Activation#SIGMOID}, within 4 ulp of a double reference), with its rules:
 * {@code -Infinity} gives exactly 0, NaN and {@code +Infinity} make the row invalid.
 * Element-wise, so an empty array gives an empty array.
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

    private float[] sigmoid(float[] x, float beta) {
        // the kernel calls an empty row a defect; element-wise, it is simply no entries
        return x.length == 0 ? x : compute(x, 1, x.length, beta, Activation.SIGMOID);
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(new VectorTypeStrategy("logits", List.of("temperature"), List.of(DataTypes.DOUBLE()), 0))
                .outputTypeStrategy(call -> Optional.of(primitiveArrayOf(VectorTypeStrategy.elementOf(call))))
                .build();
    }
}
