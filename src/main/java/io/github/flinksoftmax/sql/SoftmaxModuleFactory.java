package io.github.flinksoftmax.sql;

import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModuleFactory;
import org.apache.flink.table.module.Module;

/**
 * Creates {@link SoftmaxModule} for {@code LOAD MODULE softmax [WITH ('on-invalid' = 'null' |
 * 'error')]}; found by Flink through {@code META-INF/services/org.apache.flink.table.factories.Factory}.
 */
public final class SoftmaxModuleFactory implements ModuleFactory {

    public static final String IDENTIFIER = "softmax";

    public static final ConfigOption<String> ON_INVALID = ConfigOptions.key(OnInvalid.MODULE_OPTION)
            .stringType()
            .noDefaultValue()
            .withDescription("What the functions return for an invalid array (a NULL element, NaN, +Infinity, "
                    + "empty or entirely masked): 'null' (SQL NULL) or 'error' (fail the query). "
                    + "Unset: the job parameter '" + OnInvalid.JOB_PARAMETER + "', else 'null'.");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(ON_INVALID);
    }

    @Override
    public Module createModule(Context context) {
        FactoryUtil.ModuleFactoryHelper helper = FactoryUtil.createModuleFactoryHelper(this, context);
        helper.validate();
        return new SoftmaxModule(helper.getOptions().getOptional(ON_INVALID)
                .map(v -> OnInvalid.parse(v, OnInvalid.MODULE_OPTION))
                .orElse(null));
    }
}
