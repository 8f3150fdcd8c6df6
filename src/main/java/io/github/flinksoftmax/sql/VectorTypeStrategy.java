package io.github.flinksoftmax.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.ArgumentCount;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.inference.ConstantArgumentCount;
import org.apache.flink.table.types.inference.InputTypeStrategy;
import org.apache.flink.table.types.inference.Signature;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The arguments of every function here: an array of numbers first, then a few fixed-type
 * arguments of which the trailing ones may be left out. {@code ARRAY<FLOAT>} stays as it is; any
 * other numeric array ({@code ARRAY<DOUBLE>}, or {@code ARRAY<DECIMAL>} from a literal like
 * {@code ARRAY[1.5, 2.0]}) is cast to {@code ARRAY<DOUBLE>}, and the trailing arguments to their
 * declared types, by the planner's implicit casts. Immutable.
 */
final class VectorTypeStrategy implements InputTypeStrategy {

    private final String vectorName;
    private final List<String> names;
    private final List<DataType> types;
    private final int required;

    /**
     * @param vectorName the first argument's name in signatures, e.g. {@code logits}
     * @param names the names of the arguments after it
     * @param types their types, same order
     * @param required how many of them must be given
     */
    VectorTypeStrategy(String vectorName, List<String> names, List<DataType> types, int required) {
        this.vectorName = vectorName;
        this.names = List.copyOf(names);
        this.types = List.copyOf(types);
        this.required = required;
    }

    /** Whether an argument or result type is an array of FLOAT (as opposed to DOUBLE after the casts). */
    static boolean isFloatArray(DataType type) {
        LogicalType t = type.getLogicalType();
        return t instanceof ArrayType a && a.getElementType().is(LogicalTypeRoot.FLOAT);
    }

    /** The element type that follows the input's: FLOAT for {@code ARRAY<FLOAT>}, else DOUBLE. */
    static DataType elementOf(CallContext context) {
        return isFloatArray(context.getArgumentDataTypes().get(0)) ? DataTypes.FLOAT() : DataTypes.DOUBLE();
    }

    @Override
    public ArgumentCount getArgumentCount() {
        return ConstantArgumentCount.between(1 + required, 1 + names.size());
    }

    @Override
    public Optional<List<DataType>> inferInputTypes(CallContext context, boolean throwOnFailure) {
        List<DataType> given = context.getArgumentDataTypes();
        LogicalType first = given.get(0).getLogicalType();
        if (!(first instanceof ArrayType array) || !array.getElementType().is(LogicalTypeFamily.NUMERIC)) {
            return context.fail(throwOnFailure, "%s expects ARRAY<FLOAT> or ARRAY<DOUBLE> as %s, got %s",
                    context.getName(), vectorName, first.asSummaryString());
        }
        List<DataType> wanted = new ArrayList<>(given.size());
        wanted.add(DataTypes.ARRAY(array.getElementType().is(LogicalTypeRoot.FLOAT)
                ? DataTypes.FLOAT() : DataTypes.DOUBLE()));
        wanted.addAll(types.subList(0, given.size() - 1));
        return Optional.of(wanted);
    }

    @Override
    public List<Signature> getExpectedSignatures(FunctionDefinition definition) {
        List<Signature> signatures = new ArrayList<>();
        for (int n = required; n <= names.size(); n++) {
            List<Signature.Argument> args = new ArrayList<>();
            args.add(Signature.Argument.of(vectorName, "ARRAY<FLOAT> | ARRAY<DOUBLE>"));
            for (int i = 0; i < n; i++) {
                args.add(Signature.Argument.of(names.get(i), types.get(i).getLogicalType()));
            }
            signatures.add(Signature.of(args));
        }
        return signatures;
    }
}
