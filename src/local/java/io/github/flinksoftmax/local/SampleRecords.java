package io.github.flinksoftmax.local;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.format.FormatSettings;
import io.github.flinksoftmax.format.Reason;
import io.github.flinksoftmax.format.WireFormat;
import io.github.flinksoftmax.kernel.Activation;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sample records for one job, in the job's own {@code format}: {@link SampleLogits} for
 * {@code json}, {@link SampleOipV2} for {@code oip-v2}, {@link SampleFloat32Le} for
 * {@code float32le}, each told the format options it needs (the tensor name, K). Record
 * {@code n} is a pure function of {@code n} and the job's options, and every format mixes in a
 * few bad records, so the dead-letter topic has something to show. Which records are bad depends
 * on the job's activation as well: an entirely masked row is one only for softmax and log-softmax.
 */
final class SampleRecords {

    private final WireFormat format;
    private final FormatSettings settings;
    private final Activation activation;
    private final int classes;
    /** The samples of a job with a linear model, which reads feature vectors; {@code null} otherwise. */
    private final SampleFeatures features;

    /**
     * @param labels the job's labels: with two or more, rows have that many classes (a sentiment
     *     classifier's three), else {@link SampleLogits#CLASSES}; {@code float32le.classes} wins over both
     */
    SampleRecords(WireFormat format, FormatSettings settings, List<String> labels) {
        this(format, settings, labels, Activation.SOFTMAX);
    }

    SampleRecords(WireFormat format, FormatSettings settings, List<String> labels, Activation activation) {
        this(format, settings, labels, activation, null);
    }

    /** @param features the samples of a model job (JSON feature vectors), or {@code null} */
    SampleRecords(WireFormat format, FormatSettings settings, List<String> labels, Activation activation,
            SampleFeatures features) {
        this.features = features;
        this.format = format;
        this.settings = settings;
        this.activation = activation;
        this.classes = features != null ? features.features()
                : format == WireFormat.FLOAT32LE && settings.float32leClasses() > 0 ? settings.float32leClasses()
                : labels.size() >= 2 ? labels.size() : SampleLogits.CLASSES;
    }

    static SampleRecords forJob(JobConfig config) {
        // feature vectors are sampled as JSON only: a model job in another format gets that format's logit samples
        SampleFeatures features = config.model() != null && config.get(SoftmaxOptions.FORMAT) == WireFormat.JSON
                ? SampleFeatures.forModel(Path.of(config.get(SoftmaxOptions.MODEL_FILE)),
                        config.model().weights().features())
                : null;
        return new SampleRecords(config.get(SoftmaxOptions.FORMAT), config.formatSettings(), config.labels(),
                config.activation(), features);
    }

    /** K: the length of every good row (D, the feature count, for a model job). */
    int classes() {
        return classes;
    }

    SampleRecord sample(long n) {
        if (features != null) {
            return features.sample(n);
        }
        SampleRecord record = sampleOfFormat(n);
        return record.reason() == Reason.ALL_MASKED && !activation.needsUnmaskedEntry()
                ? new SampleRecord(record.id(), record.kind(), record.value(), record.headers(), null) : record;
    }

    private SampleRecord sampleOfFormat(long n) {
        return switch (format) {
            case JSON -> {
                SampleLogits.Sample s = SampleLogits.sample(n, classes);
                yield new SampleRecord(s.id(), s.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), s.value(),
                        Map.of(), SampleLogits.reason(s.kind()));
            }
            case OIP_V2 -> SampleOipV2.sample(n, settings.oipInputTensor(), classes);
            case FLOAT32LE -> SampleFloat32Le.sample(n, classes, settings.float32leClasses() == 0);
        };
    }

    /** What the producer writes, for the console: one line's worth. */
    String describe() {
        if (features != null) {
            return features.describe();
        }
        return switch (format) {
            case JSON -> classes + "-class logits as JSON: objects, batches, bare arrays,"
                    + " -Infinity masks, ~5% bad records";
            case OIP_V2 -> "OIP v2 responses, tensor '" + SampleOipV2.tensorName(settings.oipInputTensor())
                    + "' FP32 [1, " + classes + "] or batches [N, " + classes
                    + "], ~10% bad records";
            case FLOAT32LE -> "float32le rows of " + classes
                    + (settings.float32leClasses() > 0 ? " (float32le.classes)" : " with a shape header")
                    + ", single and batched, ~10% bad records";
        };
    }
}
