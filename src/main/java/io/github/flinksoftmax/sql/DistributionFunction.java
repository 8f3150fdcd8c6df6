package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code f(logits [, temperature])} for softmax and log-softmax: the array in, the distribution
 * out, element type following the input's. FLOAT rows go to the kernel as they are; DOUBLE rows
 * are shifted by their maximum in double, narrowed, computed in float and widened (see
 * {@link Vectors}), so DOUBLE results carry float accuracy.
 */
public abstract class DistributionFunction extends KernelFunction {

    private static final long serialVersionUID = 1L;

    private final Activation activation;

    protected DistributionFunction(String sqlName, Activation activation, OnInvalid configured) {
        super(sqlName, configured);
        this.activation = activation;
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
        return x == null ? invalid(NULL_ELEMENT) : compute(x, 1, x.length, beta, activation);
    }

    public double[] eval(Double[] logits) {
        return eval(logits, 1.0);
    }

    public double[] eval(Double[] logits, Double temperature) {
        if (logits == null || temperature == null) {
            return null;
        }
        float beta = Temperature.beta(sqlName(), temperature);
        float[] x = Vectors.fromDoublesShifted(logits);
        if (x == null) {
            return invalid(NULL_ELEMENT);
        }
        float[] p = compute(x, 1, x.length, beta, activation);
        return p == null ? null : Vectors.widen(p);
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(new VectorTypeStrategy("logits", List.of("temperature"), List.of(DataTypes.DOUBLE()), 0))
                .outputTypeStrategy(call -> Optional.of(primitiveArrayOf(VectorTypeStrategy.elementOf(call))))
                .build();
    }
}
