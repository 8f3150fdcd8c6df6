package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code f(logits [, temperature])} for one kernel {@link Activation}: the array in, the
 * activation's values out, element type following the input's. FLOAT rows go to the kernel as
 * they are. DOUBLE rows are narrowed to float, computed in float and widened (see
 * {@link Vectors}), so DOUBLE results carry float accuracy: softmax and log-softmax rows are first
 * shifted by their maximum in double, which changes nothing in the result, while the element-wise
 * sigmoid has no shift to hide behind and takes its entries clamped to float range.
 */
public abstract class ActivationFunction extends KernelFunction {

    private static final long serialVersionUID = 1L;

    private final Activation activation;

    protected ActivationFunction(String sqlName, Activation activation, OnInvalid configured) {
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
        return x == null ? invalid(NULL_ELEMENT) : apply(x, beta);
    }

    public double[] eval(Double[] logits) {
        return eval(logits, 1.0);
    }

    public double[] eval(Double[] logits, Double temperature) {
        if (logits == null || temperature == null) {
            return null;
        }
        float beta = Temperature.beta(sqlName(), temperature);
        float[] x = activation.needsUnmaskedEntry() ? Vectors.fromDoublesShifted(logits) : Vectors.fromDoublesClamped(logits);
        if (x == null) {
            return invalid(NULL_ELEMENT);
        }
        float[] p = apply(x, beta);
        return p == null ? null : Vectors.widen(p);
    }

    private float[] apply(float[] x, float beta) {
        // the kernel calls an empty row a defect; for an element-wise activation it is simply no entries
        return x.length == 0 && !activation.needsUnmaskedEntry() ? x : compute(x, 1, x.length, beta, activation);
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(new VectorTypeStrategy("logits", List.of("temperature"), List.of(DataTypes.DOUBLE()), 0))
                .outputTypeStrategy(call -> Optional.of(primitiveArrayOf(VectorTypeStrategy.elementOf(call))))
                .build();
    }
}
