package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.kernel.RowDefect;
import io.github.flinksoftmax.kernel.Softmax;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.postprocess.Summarizer;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code ARGMAX(values ARRAY<FLOAT|DOUBLE>)}: the 0-based index of the largest entry, lowest index
 * on ties, as INT. Takes logits or probabilities alike ({@code ARGMAX(z) = ARGMAX(SOFTMAX(z))}) and
 * accepts exactly the rows {@code SOFTMAX} accepts, so the two never disagree on which rows are
 * invalid. DOUBLE entries are compared as {@code SOFTMAX} sees them, rounded to float after the
 * shift by the maximum: entries within a float rounding of each other tie.
 */
public class ArgmaxSqlFunction extends VectorFunction {

    private static final long serialVersionUID = 1L;

    private static final Summarizer ARGMAX = new Summarizer(new Extras(0, true, false, false, Labels.NONE));

    /** Invalid rows as the job parameter {@value OnInvalid#JOB_PARAMETER} says, NULL by default. */
    public ArgmaxSqlFunction() {
        this(null);
    }

    public ArgmaxSqlFunction(OnInvalid onInvalid) {
        super("ARGMAX", onInvalid);
    }

    public Integer eval(Float[] values) {
        return values == null ? null : argmax(Vectors.fromFloats(values));
    }

    public Integer eval(Double[] values) {
        return values == null ? null : argmax(Vectors.fromDoublesShifted(values));
    }

    private Integer argmax(float[] x) {
        if (x == null) {
            return invalid(NULL_ELEMENT);
        }
        RowDefect defect = Softmax.check(x, 0, x.length);
        if (defect != null) {
            return invalid(describe(defect));
        }
        return ARGMAX.summarize(x, 1, x.length, Activation.NONE)[0].argmax();
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(new VectorTypeStrategy("values", List.of(), List.of(), 0))
                .outputTypeStrategy(call -> Optional.of(DataTypes.INT()))
                .build();
    }
}
