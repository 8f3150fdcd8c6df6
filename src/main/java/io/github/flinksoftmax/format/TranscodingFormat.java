package io.github.flinksoftmax.format;

import io.github.flinksoftmax.postprocess.Distribution;

import java.util.function.BiConsumer;

/**
 * Reads one wire format and writes another, for a job whose {@code output.format} differs from
 * its {@code format}: the input format decodes, the output format encodes, and in between
 * {@link EnvelopeTranslator} carries what the input held besides its logits into the envelope the
 * output format reads. A job whose formats agree never builds one (see {@link WireFormat#create(
 * FormatSettings, WireFormat)}), so its per-record path is unchanged. Created per task and used by
 * one thread, like the formats it holds.
 */
final class TranscodingFormat implements LogitsFormat {

    private final LogitsFormat reader;
    private final LogitsFormat writer;
    private final WireFormat written;

    /**
     * @param reader decodes the input
     * @param writer encodes the output
     * @param written the format {@code writer} is, whose envelope the translator makes
     */
    TranscodingFormat(LogitsFormat reader, LogitsFormat writer, WireFormat written) {
        this.reader = reader;
        this.writer = writer;
        this.written = written;
    }

    @Override
    public Logits decode(byte[] value, HeaderLookup headers) throws BadRecordException {
        return reader.decode(value, headers);
    }

    @Override
    public byte[] encode(Logits input, Distribution output, BiConsumer<String, byte[]> extraHeaders) {
        return writer.encode(input.withEnvelope(EnvelopeTranslator.translate(input.envelope(), written)), output,
                extraHeaders);
    }

    @Override
    public Class<?> decoderClass() {
        return reader.getClass();
    }

    @Override
    public Class<?> encoderClass() {
        return writer.getClass();
    }
}
