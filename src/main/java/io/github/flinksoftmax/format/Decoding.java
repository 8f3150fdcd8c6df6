package io.github.flinksoftmax.format;

import java.io.IOException;

/**
 * The one place where a format's decode turns whatever went wrong into a
 * {@link BadRecordException}: a null value (a tombstone) becomes {@link Reason#EMPTY_RECORD}, a
 * Jackson read error or a number too large to hold {@link Reason#MALFORMED_JSON} (byte arrays
 * raise no other IOException) and
 * anything unforeseen {@link Reason#UNREADABLE}, so no exception restarts the job.
 */
final class Decoding {

    /** A format's decoding once the value is known to be there. */
    @FunctionalInterface
    interface Body {
        Logits read(byte[] value, HeaderLookup headers) throws BadRecordException, IOException;
    }

    private Decoding() {}

    static Logits guard(byte[] value, HeaderLookup headers, Body body) throws BadRecordException {
        if (value == null) {
            throw new BadRecordException(Reason.EMPTY_RECORD,
                    "the record value is null (a tombstone); expected logits");
        }
        try {
            return body.read(value, headers == null ? HeaderLookup.NONE : headers);
        } catch (BadRecordException e) {
            throw e;
        } catch (IOException e) {
            throw new BadRecordException(Reason.MALFORMED_JSON, "not valid JSON: " + JsonSupport.describe(e));
        } catch (NumberFormatException e) {
            // valid JSON syntax, but a passed-through number BigDecimal cannot hold (an exponent beyond 2^31)
            throw new BadRecordException(Reason.MALFORMED_JSON, "a number out of range: " + shorten(e.getMessage()));
        } catch (RuntimeException e) {
            throw new BadRecordException(Reason.UNREADABLE, "could not read the record: " + e);
        }
    }

    /** Jackson's messages echo the offending number, which may be thousands of digits long. */
    private static String shorten(String message) {
        return message == null || message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }
}
