package io.github.flinksoftmax.job;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.format.FormatSettings;
import io.github.flinksoftmax.format.WireFormat;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.model.Model;
import io.github.flinksoftmax.postprocess.Extras;

import java.io.Serializable;

/**
 * What {@link SoftmaxFunction} needs on the TaskManagers, and nothing else: Flink serializes it
 * into the job graph, so it holds no Kafka properties (which may carry secrets) and none of the
 * options only the client uses. Everything in it was validated when the {@link JobConfig} was
 * built.
 *
 * @param format the wire format of the input ({@code format})
 * @param outputFormat the wire format of the output ({@code output.format}, else {@code format})
 * @param formatSettings what the format needs besides the bytes
 * @param kernel which softmax kernel to run ({@code softmax.kernel}), chosen in {@code open()}
 * @param beta the scale applied to every logit: {@code ln(softmax.base)} or {@code 1/softmax.temperature}
 * @param activation what the kernel turns each row into ({@code softmax.activation})
 * @param extras the summaries each row carries ({@code postprocess.*})
 * @param maxRecordBytes {@code softmax.max-record-bytes} in bytes
 * @param jobName {@code job.name}, which dead letters name as the Connect connector
 * @param includeStacktrace whether dead letters carry a stack trace ({@code dead-letter.include-stacktrace})
 * @param model the linear model whose scores the activation runs on ({@code model.file}), or {@code null}
 *     when records carry the logits themselves
 */
public record SoftmaxSettings(WireFormat format, WireFormat outputFormat, FormatSettings formatSettings, SoftmaxOptions.Kernel kernel,
        float beta, Activation activation, Extras extras, int maxRecordBytes, String jobName,
        boolean includeStacktrace, Model model) implements Serializable {

    public static SoftmaxSettings of(JobConfig config) {
        return new SoftmaxSettings(config.get(SoftmaxOptions.FORMAT), config.outputFormat(),
                config.formatSettings(),
                config.get(SoftmaxOptions.SOFTMAX_KERNEL), config.beta(), config.activation(), config.extras(),
                config.maxRecordBytes(), config.get(SoftmaxOptions.JOB_NAME),
                config.get(SoftmaxOptions.DEAD_LETTER_INCLUDE_STACKTRACE), config.model());
    }
}
