package io.github.flinksoftmax.format;

import java.util.List;

/**
 * Builds a {@link LogitsFormat} by the exact name users write in the {@code format} option, for
 * callers that hold the name as text (tests, benchmarks); the job holds a {@link WireFormat}.
 * Call it on the task manager (in {@code open}): formats hold per-task buffers and are not
 * serializable.
 */
public final class Formats {

    /** The accepted values of the {@code format} option, in the order the docs list them. */
    public static final List<String> NAMES = WireFormat.NAMES;

    private Formats() {}

    /** @throws IllegalArgumentException naming the {@code format} key when {@code name} is not in {@link #NAMES} */
    public static LogitsFormat create(String name, FormatSettings settings) {
        for (WireFormat format : WireFormat.values()) {
            if (format.toString().equals(name)) {
                return format.create(settings);
            }
        }
        throw new IllegalArgumentException((name == null ? "format is not set" : "format is '" + name + "'")
                + "; expected one of " + String.join(", ", NAMES));
    }
}
