package io.github.flinksoftmax.format;

/** TEMPORARY stub until the format branch lands: a top-level JSON array only. */
public final class Formats {
    private Formats() {}

    public static LogitsFormat create(String name, FormatSettings settings) {
        return new LogitsFormat() {
            private final com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();

            @Override
            public Logits decode(byte[] value, HeaderLookup headers) throws BadRecordException {
                try {
                    float[] f = m.readValue(value, float[].class);
                    return new Logits(f, 1, f.length, new int[] {f.length}, null);
                } catch (Exception e) {
                    throw new BadRecordException(Reason.MALFORMED_JSON, e.getMessage());
                }
            }

            @Override
            public byte[] encode(Logits input, io.github.flinksoftmax.postprocess.Distribution output,
                    java.util.function.BiConsumer<String, byte[]> extraHeaders) {
                try {
                    return m.writeValueAsBytes(java.util.Map.of("probabilities", output.values()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
