package io.github.flinksoftmax.job;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.format.FormatSettings;

/** Maps the job's options onto the settings the formats take, so formats stay free of job config. */
final class JobFormats {

    private JobFormats() {}

    static FormatSettings settings(JobConfig config) {
        String oipInput = config.get(SoftmaxOptions.OIP_INPUT_TENSOR);
        return new FormatSettings(
                config.get(SoftmaxOptions.MAX_LENGTH),
                config.get(SoftmaxOptions.JSON_POINTER),
                oipInput == null ? "" : oipInput,
                config.get(SoftmaxOptions.OIP_OUTPUT_TENSOR),
                config.get(SoftmaxOptions.FLOAT32_CLASSES));
    }
}
