package io.github.flinksoftmax.sql;

import io.github.flinksoftmax.kernel.RowDefect;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The base of the SQL functions over arrays: the function's SQL name for messages, and the
 * {@link OnInvalid} policy, given to the constructor (by the module) or, when not given, read in
 * {@link #open} from the job parameter {@value OnInvalid#JOB_PARAMETER} (default {@code null}).
 * Subclasses have a public no-argument constructor, as {@code CREATE FUNCTION} needs.
 */
public abstract class VectorFunction extends ScalarFunction {

    private static final long serialVersionUID = 1L;

    private final String sqlName;
    /** {@code null}: take the job parameter in {@link #open}. */
    private final OnInvalid configured;

    private transient OnInvalid onInvalid;

    protected VectorFunction(String sqlName, OnInvalid configured) {
        this.sqlName = sqlName;
        this.configured = configured;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        onInvalid = configured != null ? configured
                : OnInvalid.parse(context.getJobParameter(OnInvalid.JOB_PARAMETER, "null"), OnInvalid.JOB_PARAMETER);
    }

    /** The SQL name messages use, e.g. {@code SOFTMAX}. */
    protected final String sqlName() {
        return sqlName;
    }

    /** The result for an invalid row: {@code null}, or an exception, as the policy says. */
    protected final <T> T invalid(String defect) {
        return onInvalid.reject(sqlName, defect);
    }

    /** The message fragment for a defect the kernel's facade found, e.g. {@code "holds NaN"}. */
    protected static String describe(RowDefect defect) {
        return switch (defect) {
            case EMPTY -> "is empty";
            case NOT_A_NUMBER -> "holds NaN";
            case POSITIVE_INFINITY -> "holds +Infinity";
            case ALL_MASKED -> "is entirely masked (every entry is -Infinity)";
        };
    }

    protected static final String NULL_ELEMENT = "holds a NULL element";

    /** {@code ARRAY<FLOAT NOT NULL>} as {@code float[]}, or the DOUBLE twin: no boxing on the way out. */
    static DataType primitiveArrayOf(DataType element) {
        return element.getLogicalType().is(LogicalTypeRoot.FLOAT)
                ? DataTypes.ARRAY(DataTypes.FLOAT().notNull()).bridgedTo(float[].class)
                : DataTypes.ARRAY(DataTypes.DOUBLE().notNull()).bridgedTo(double[].class);
    }
}
