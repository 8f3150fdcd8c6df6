package io.github.flinksoftmax.format;

import java.io.Serializable;

/** TEMPORARY stub until the format branch lands. */
public record FormatSettings(int maxElements, String jsonPointer, String oipInputName, String oipOutputName,
        int float32Classes) implements Serializable {}
