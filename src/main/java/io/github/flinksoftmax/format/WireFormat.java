package io.github.flinksoftmax.format;

import java.util.Arrays;
import java.util.List;

/**
 * The wire formats, each rendered as the name users write in the {@code format} and
 * {@code output.format} options ({@link #toString()}), so the options' values, their
 * documentation and their error messages all come from this list. {@link #create} builds the format on the task manager.
 */
public enum WireFormat {
    JSON("json"),
    OIP_V2("oip-v2"),
    FLOAT32LE("float32le");

    /** Every name, in declaration order: what the {@code format} option allows. */
    public static final List<String> NAMES = Arrays.stream(values()).map(WireFormat::toString).toList();

    private final String name;

    WireFormat(String name) {
        this.name = name;
    }

    /** A new format instance; formats hold per-task buffers, so call it once per task in {@code open}. */
    public LogitsFormat create(FormatSettings settings) {
        return switch (this) {
            case JSON -> new JsonFormat(settings);
            case OIP_V2 -> new OipV2Format(settings);
            case FLOAT32LE -> new Float32LeFormat(settings);
        };
    }

    /**
     * A new format reading this one and writing {@code output}: this format's own instance when
     * the two are the same, so a job whose formats agree takes no extra step per record.
     */
    public LogitsFormat create(FormatSettings settings, WireFormat output) {
        return output == this ? create(settings) : new TranscodingFormat(create(settings), output.create(settings), output);
    }

    @Override
    public String toString() {
        return name;
    }
}
