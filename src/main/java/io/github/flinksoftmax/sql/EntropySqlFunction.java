package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.postprocess.Summarizer;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code ENTROPY(probabilities ARRAY<FLOAT|DOUBLE>)}: {@code -sum p_i ln p_i} in nats (0 log 0
 * counted as 0), of the input's element type; e.g. {@code ENTROPY(SOFTMAX(logits))}. The job's
 * post-processing computes it, summing in double and rounding the result to float, so a DOUBLE
 * result carries float accuracy. Rows are checked as {@link Probabilities} says.
 */
public class EntropySqlFunction extends VectorFunction {

    private static final long serialVersionUID = 1L;

    private static final Summarizer ENTROPY = new Summarizer(new Extras(0, false, true, false, Labels.NONE));

    /** Invalid rows as the job parameter {@value OnInvalid#JOB_PARAMETER} says, NULL by default. */
    public EntropySqlFunction() {
        this(null);
    }

    public EntropySqlFunction(OnInvalid onInvalid) {
        super("ENTROPY", onInvalid);
    }

    public Float eval(Float[] probabilities) {
        return probabilities == null ? null : entropy(Vectors.fromFloats(probabilities));
    }

    public Double eval(Double[] probabilities) {
        if (probabilities == null) {
            return null;
        }
        Float h = entropy(Vectors.fromDoubles(probabilities));
        return h == null ? null : h.doubleValue();
    }

    private Float entropy(float[] p) {
        if (p == null) {
            return invalid(NULL_ELEMENT);
        }
        String defect = Probabilities.defect(p);
        if (defect != null) {
            return invalid(defect);
        }
        return ENTROPY.summarize(p, 1, p.length, Activation.SOFTMAX)[0].entropy();
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(new VectorTypeStrategy("probabilities", List.of(), List.of(), 0))
                .outputTypeStrategy(call -> Optional.of(VectorTypeStrategy.elementOf(call)))
                .build();
    }
}
