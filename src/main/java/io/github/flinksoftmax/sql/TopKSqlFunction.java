package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.postprocess.RowSummary;
import io.github.flinksoftmax.postprocess.Summarizer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.TableRuntimeException;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.types.Row;

/**
 * {@code TOP_K(probabilities ARRAY<FLOAT|DOUBLE>, k INT [, labels ARRAY<STRING>])}: the
 * {@code k} most probable classes, most probable first, ties by lower index, as
 * {@code ARRAY<ROW<idx INT, label STRING, probability FLOAT>>} (fewer rows when the array is
 * shorter than {@code k}). {@code idx} is the 0-based class index, as in the job's output and the
 * model's class ids (SQL's element access is {@code probabilities[idx + 1]}); {@code label} is
 * {@code labels[idx + 1]}, NULL when there is no such label or no labels array (a NULL labels
 * array means no labels, not a NULL result). Computed by the job's post-processing.
 */
public class TopKSqlFunction extends VectorFunction {

    private static final long serialVersionUID = 1L;

    private static final DataType ENTRY = DataTypes.ROW(
            DataTypes.FIELD("idx", DataTypes.INT().notNull()),
            DataTypes.FIELD("label", DataTypes.STRING()),
            DataTypes.FIELD("probability", DataTypes.FLOAT().notNull())).notNull();

    /** Invalid rows as the job parameter {@value OnInvalid#JOB_PARAMETER} says, NULL by default. */
    public TopKSqlFunction() {
        this(null);
    }

    public TopKSqlFunction(OnInvalid onInvalid) {
        super("TOP_K", onInvalid);
    }

    public Row[] eval(Float[] probabilities, Integer k) {
        return eval(probabilities, k, null);
    }

    public Row[] eval(Float[] probabilities, Integer k, String[] labels) {
        if (probabilities == null || k == null) {
            return null;
        }
        checkK(k);
        float[] p = Vectors.fromFloats(probabilities);
        return top(p, k, labels);
    }

    public Row[] eval(Double[] probabilities, Integer k) {
        return eval(probabilities, k, null);
    }

    public Row[] eval(Double[] probabilities, Integer k, String[] labels) {
        if (probabilities == null || k == null) {
            return null;
        }
        checkK(k);
        float[] p = Vectors.fromDoubles(probabilities);
        return top(p, k, labels);
    }

    private void checkK(int k) {
        // a mistake in the query, not in the data: always an error
        if (k < 1) {
            throw new TableRuntimeException(String.format("%s: k must be >= 1, got %d", sqlName(), k));
        }
    }

    private Row[] top(float[] p, int k, String[] labels) {
        if (p == null) {
            return invalid(NULL_ELEMENT);
        }
        String defect = Probabilities.defect(p);
        if (defect != null) {
            return invalid(defect);
        }
        Labels names = labels == null ? Labels.NONE : new Labels(Arrays.asList(labels));
        RowSummary summary = new Summarizer(new Extras(k, false, false, false, names)).summarize(p, 1, p.length,
                Activation.SOFTMAX)[0];
        int[] idx = summary.topIndices();
        float[] prob = summary.topProbabilities();
        Row[] out = new Row[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = Row.of(idx[i], names.label(idx[i]), prob[i]);
        }
        return out;
    }

    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(new VectorTypeStrategy("probabilities", List.of("k", "labels"),
                        List.of(DataTypes.INT(), DataTypes.ARRAY(DataTypes.STRING())), 1))
                .outputTypeStrategy(call -> Optional.of(DataTypes.ARRAY(ENTRY)))
                .build();
    }
}
