package io.github.flinksoftmax.sql;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.module.Module;

/**
 * The functions of this package as a Flink module, {@code LOAD MODULE softmax}: SOFTMAX,
 * LOG_SOFTMAX, SIGMOID, TOP_K, ARGMAX and ENTROPY under those names, all with the same
 * {@link OnInvalid} policy. Built by {@link SoftmaxModuleFactory}. Immutable.
 */
public final class SoftmaxModule implements Module {

    private final Map<String, FunctionDefinition> functions;

    /** @param onInvalid the policy of every function, {@code null} to read the job parameter */
    public SoftmaxModule(OnInvalid onInvalid) {
        // lower case: the planner looks module functions up by their normalized (lower-case) name
        functions = Map.of(
                "softmax", new SoftmaxSqlFunction(onInvalid),
                "log_softmax", new LogSoftmaxSqlFunction(onInvalid),
                "sigmoid", new SigmoidSqlFunction(onInvalid),
                "top_k", new TopKSqlFunction(onInvalid),
                "argmax", new ArgmaxSqlFunction(onInvalid),
                "entropy", new EntropySqlFunction(onInvalid));
    }

    @Override
    public Set<String> listFunctions() {
        return functions.keySet();
    }

    @Override
    public Optional<FunctionDefinition> getFunctionDefinition(String name) {
        return Optional.ofNullable(functions.get(name.toLowerCase(Locale.ROOT)));
    }
}
