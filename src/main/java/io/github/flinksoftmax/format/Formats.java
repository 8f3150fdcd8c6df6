package io.github.flinksoftmax.format;

import java.util.List;

/**
 * Builds a {@link LogitsFormat} by the name users write in the {@code format} option. Call it on
 * the task manager (in {@code open}): formats hold per-task buffers and are not serializable.
 */
public final class Formats {

    /** The accepted values of the {@code format} option, in the order the README lists them. */
    public static final List<String> NAMES = List.of("json", "oip-v2", "float32le");

    private Formats() {}

    /** @throws IllegalArgumentException naming the {@code format} key when {@code name} is not in {@link #NAMES} */
    public static LogitsFormat create(String name, FormatSettings settings) {
        if (name == null) {
            throw new IllegalArgumentException("format is not set; expected one of " + String.join(", ", NAMES));
        }
        return switch (name) {
            case "json" -> new JsonFormat(settings);
            case "oip-v2" -> new OipV2Format(settings);
            case "float32le" -> new Float32LeFormat(settings);
            default -> throw new IllegalArgumentException(
                    "format is '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }
}
