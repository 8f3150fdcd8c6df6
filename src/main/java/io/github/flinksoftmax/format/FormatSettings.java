package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.JsonPointer;

import java.io.Serializable;

/**
 * What the wire formats need to know besides the bytes: the size limit and where the logits sit
 * in each format. Immutable and serializable, so the job config can carry it to the task managers,
 * where {@link Formats#create} builds the format itself.
 *
 * @param maxElements the most logits one record may hold, all rows together; larger records are
 *     rejected as {@link Reason#TOO_LONG} before anything is allocated for them
 * @param jsonPointer where the {@code json} format finds the logits inside an object, such as
 *     {@code /logits} or {@code /outputs/scores}; object members only, not array indices
 * @param oipInputName the output tensor that {@code oip-v2} reads from the response; empty for
 *     the first one
 * @param oipOutputName the name of the tensor that {@code oip-v2} writes the distribution to
 * @param float32Classes K for {@code float32le}: each record is a run of K-long rows; 0 to take
 *     the shape from the record's {@code shape} header, or else treat the value as one vector
 */
public record FormatSettings(
        int maxElements, String jsonPointer, String oipInputName, String oipOutputName, int float32Classes)
        implements Serializable {

    /** 2^21 logits: 8 MiB as float32, far above Kafka's default 1 MB message limit. */
    public static final int DEFAULT_MAX_ELEMENTS = 2_097_152;

    public static final String DEFAULT_JSON_POINTER = "/logits";

    public static final String DEFAULT_OIP_OUTPUT_NAME = "probabilities";

    public static final FormatSettings DEFAULTS =
            new FormatSettings(DEFAULT_MAX_ELEMENTS, DEFAULT_JSON_POINTER, "", DEFAULT_OIP_OUTPUT_NAME, 0);

    public FormatSettings {
        if (maxElements < 1) {
            throw new IllegalArgumentException("maxElements is " + maxElements + "; expected at least 1");
        }
        if (jsonPointer == null || !jsonPointer.startsWith("/")) {
            throw new IllegalArgumentException("jsonPointer is '" + jsonPointer
                    + "'; expected a JSON pointer to an object member, such as /logits");
        }
        JsonPointer.compile(jsonPointer); // rejects bad escapes with a message naming them
        if (oipInputName == null) {
            throw new IllegalArgumentException("oipInputName is null; expected a tensor name or '' for the first output");
        }
        if (oipOutputName == null || oipOutputName.isEmpty()) {
            throw new IllegalArgumentException("oipOutputName is '" + oipOutputName + "'; expected a tensor name");
        }
        if (float32Classes < 0) {
            throw new IllegalArgumentException("float32Classes is " + float32Classes
                    + "; expected 0 (shape header or whole value) or a class count K >= 1");
        }
    }

    public FormatSettings withMaxElements(int value) {
        return new FormatSettings(value, jsonPointer, oipInputName, oipOutputName, float32Classes);
    }

    public FormatSettings withJsonPointer(String value) {
        return new FormatSettings(maxElements, value, oipInputName, oipOutputName, float32Classes);
    }

    public FormatSettings withOipInputName(String value) {
        return new FormatSettings(maxElements, jsonPointer, value, oipOutputName, float32Classes);
    }

    public FormatSettings withOipOutputName(String value) {
        return new FormatSettings(maxElements, jsonPointer, oipInputName, value, float32Classes);
    }

    public FormatSettings withFloat32Classes(int value) {
        return new FormatSettings(maxElements, jsonPointer, oipInputName, oipOutputName, value);
    }
}
