package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.JsonPointer;

import java.io.Serializable;

/**
 * What the wire formats need to know besides the bytes: the size limit and where the logits sit
 * in each format. Each component is one job option, named after its key, and {@link #DEFAULTS}
 * holds the defaults those options declare. Immutable and serializable, so the operator can
 * carry it to the task managers, where {@link Formats#create} builds the format itself. The
 * constructor's checks guard direct callers (tests, benchmarks); a job's values were checked
 * against the options already.
 *
 * @param maxLength {@code softmax.max-length}: the most logits one record may hold, all rows
 *     together; larger records are rejected as {@link Reason#TOO_LONG} before anything is
 *     allocated for them
 * @param logitsPointer {@code json.logits-pointer}: where the {@code json} format finds the logits
 *     inside an object, such as {@code /logits} or {@code /outputs/scores}; object members only
 * @param oipInputTensor {@code oip.input-tensor}: the output tensor that {@code oip-v2} reads from
 *     the response; empty for the first one
 * @param oipOutputTensor {@code oip.output-tensor}: the tensor that {@code oip-v2} writes the
 *     distribution to
 * @param float32leClasses {@code float32le.classes}: K for {@code float32le}, each record a run of
 *     K-long rows; 0 to take the shape from the record's {@code shape} header, or else treat the
 *     value as one vector
 */
public record FormatSettings(
        int maxLength, String logitsPointer, String oipInputTensor, String oipOutputTensor, int float32leClasses)
        implements Serializable {

    /**
     * The options' defaults, declared here only. 2^21 logits are 8 MiB as float32, far above
     * Kafka's default 1 MB message limit, so the record limit binds first.
     */
    public static final FormatSettings DEFAULTS = new FormatSettings(2_097_152, "/logits", "", "probabilities", 0);

    public FormatSettings {
        if (maxLength < 1) {
            throw new IllegalArgumentException("softmax.max-length is " + maxLength + "; expected at least 1");
        }
        if (logitsPointer == null || !logitsPointer.startsWith("/")) {
            throw new IllegalArgumentException("json.logits-pointer is '" + logitsPointer
                    + "'; expected a JSON pointer to an object member, such as /logits");
        }
        JsonPointer.compile(logitsPointer); // rejects bad escapes with a message naming them
        if (oipInputTensor == null) {
            throw new IllegalArgumentException("oip.input-tensor is null; expected a tensor name or '' for the first output");
        }
        if (oipOutputTensor == null || oipOutputTensor.isEmpty()) {
            throw new IllegalArgumentException("oip.output-tensor is '" + oipOutputTensor + "'; expected a tensor name");
        }
        if (float32leClasses < 0) {
            throw new IllegalArgumentException("float32le.classes is " + float32leClasses
                    + "; expected 0 (shape header or whole value) or a class count K >= 1");
        }
    }

    public FormatSettings withMaxLength(int value) {
        return new FormatSettings(value, logitsPointer, oipInputTensor, oipOutputTensor, float32leClasses);
    }

    public FormatSettings withLogitsPointer(String value) {
        return new FormatSettings(maxLength, value, oipInputTensor, oipOutputTensor, float32leClasses);
    }

    public FormatSettings withOipInputTensor(String value) {
        return new FormatSettings(maxLength, logitsPointer, value, oipOutputTensor, float32leClasses);
    }

    public FormatSettings withOipOutputTensor(String value) {
        return new FormatSettings(maxLength, logitsPointer, oipInputTensor, value, float32leClasses);
    }

    public FormatSettings withFloat32leClasses(int value) {
        return new FormatSettings(maxLength, logitsPointer, oipInputTensor, oipOutputTensor, value);
    }
}
