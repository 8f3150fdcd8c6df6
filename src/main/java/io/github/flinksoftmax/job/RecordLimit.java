package io.github.flinksoftmax.job;

import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The job's record size limit ({@code softmax.max-record-bytes}), measured the way the Kafka
 * producer measures a record against {@code max.request.size}: key, value and headers plus the
 * batch and record framing at its upper bound. An input over the limit is rejected before it is
 * decoded, an output over it before it reaches the sink, and a dead letter is cut to fit, so the
 * sinks never see a record they must refuse: a refusal fails the job, and on restart the same
 * record would fail it again.
 */
final class RecordLimit {

    /** Set on a dead letter whose value was cut to fit: the original value's length in bytes. */
    static final String ORIGINAL_VALUE_BYTES = "softmax.original-value-bytes";
    /** Set on a dead letter that still did not fit with an empty value: what else was left out. */
    static final String DROPPED = "softmax.dropped";

    // Kafka's DefaultRecordBatch.RECORD_BATCH_OVERHEAD (61) + DefaultRecord.MAX_RECORD_OVERHEAD (21)
    // + three 5-byte varints (key, value, header count); each header adds two 5-byte varints
    private static final int FRAMING = 61 + 21 + 15;
    private static final int PER_HEADER = 10;

    private final int maxBytes;

    RecordLimit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The record's size as the producer's upper-bound estimate counts it. */
    static long size(KafkaRecord r) {
        long size = FRAMING + length(r.key) + length(r.value);
        for (int i = 0; i < r.headerKeys.length; i++) {
            size += PER_HEADER + utf8Length(r.headerKeys[i]) + length(r.headerValues[i]);
        }
        return size;
    }

    void checkInput(KafkaRecord in) throws BadRecordException {
        long size = size(in);
        if (size > maxBytes) {
            throw new BadRecordException(Reason.TOO_LONG, "the record is " + size
                    + " bytes (key, value, headers and framing); the limit (softmax.max-record-bytes) is " + maxBytes);
        }
    }

    void checkOutput(KafkaRecord out) throws BadRecordException {
        long size = size(out);
        if (size > maxBytes) {
            throw new BadRecordException(Reason.TOO_LONG, "the output would be " + size
                    + " bytes (key, value, headers and framing); the limit (softmax.max-record-bytes) is " + maxBytes);
        }
    }

    /**
     * Cuts {@code deadLetter} to the limit if it is over: first its value (keeping the leading
     * bytes and noting the original length), then, if the rest alone is still over, the key and
     * the input's headers, keeping the error headers after index {@code inputHeaders}.
     */
    KafkaRecord fit(KafkaRecord deadLetter, int inputHeaders) {
        long over = size(deadLetter) - maxBytes;
        if (over <= 0) {
            return deadLetter;
        }
        int valueLength = length(deadLetter.value);
        byte[] lengthNote = Integer.toString(valueLength).getBytes(StandardCharsets.US_ASCII);
        over += PER_HEADER + ORIGINAL_VALUE_BYTES.length() + lengthNote.length;
        if (over <= valueLength) {
            deadLetter.value = Arrays.copyOf(deadLetter.value, (int) (valueLength - over));
            deadLetter.addHeader(ORIGINAL_VALUE_BYTES, lengthNote);
            return deadLetter;
        }
        deadLetter.value = deadLetter.value == null ? null : new byte[0];
        deadLetter.key = null;
        int n = deadLetter.headerKeys.length;
        deadLetter.headerKeys = Arrays.copyOfRange(deadLetter.headerKeys, inputHeaders, n);
        deadLetter.headerValues = Arrays.copyOfRange(deadLetter.headerValues, inputHeaders, n);
        deadLetter.addHeader(ORIGINAL_VALUE_BYTES, lengthNote);
        deadLetter.addHeader(DROPPED, "value,key,headers".getBytes(StandardCharsets.US_ASCII));
        return deadLetter;
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    /** Without encoding: header keys are usually ASCII, and this runs for every record. */
    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a surrogate pair is 4
        }
        return n;
    }
}
