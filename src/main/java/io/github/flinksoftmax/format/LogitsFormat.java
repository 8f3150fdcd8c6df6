package io.github.flinksoftmax.format;

import io.github.flinksoftmax.postprocess.Distribution;

import java.util.function.BiConsumer;

/**
 * A wire format: turns a record value into {@link Logits} and a computed {@link Distribution}
 * back into a record value of the same family, or of another one ({@link TranscodingFormat}). Implementations are created once per task (they
 * are not serialized) and used by one thread.
 */
public interface LogitsFormat {

    /**
     * Decodes one record value. Never returns {@code null}; anything it cannot read, including
     * a vector longer than the configured maximum, is reported as a {@link BadRecordException}
     * and no other exception escapes.
     */
    Logits decode(byte[] value, HeaderLookup headers) throws BadRecordException;

    /**
     * Encodes the output record value for {@code input}.
     *
     * @param extraHeaders receives headers to add to the output record, for formats whose value
     *     has no room for the post-processing results
     */
    byte[] encode(Logits input, Distribution output, BiConsumer<String, byte[]> extraHeaders);

    /** The class that decodes, which a dead letter names as the one that rejected the record. */
    default Class<?> decoderClass() {
        return getClass();
    }

    /** The class that encodes, which a dead letter names likewise. */
    default Class<?> encoderClass() {
        return getClass();
    }
}
