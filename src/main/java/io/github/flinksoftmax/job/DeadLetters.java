package io.github.flinksoftmax.job;

import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.Reason;

import java.nio.charset.StandardCharsets;

/**
 * Builds the dead-letter record for an input that could not be processed: the original key,
 * value, headers and timestamp, plus error-context headers named as Kafka Connect names them,
 * so tools that already read Connect dead-letter queues read ours.
 */
public final class DeadLetters {

    public static final String HEADER_PREFIX = "__connect.errors.";
    public static final String REASON = HEADER_PREFIX + "reason";
    public static final String TOPIC = HEADER_PREFIX + "topic";
    public static final String PARTITION = HEADER_PREFIX + "partition";
    public static final String OFFSET = HEADER_PREFIX + "offset";
    public static final String EXCEPTION_CLASS = HEADER_PREFIX + "exception.class.name";
    public static final String EXCEPTION_MESSAGE = HEADER_PREFIX + "exception.message";

    private DeadLetters() {}

    /** The dead letter for {@code in}, rejected for {@code reason} with {@code message}. */
    public static KafkaRecord of(KafkaRecord in, Reason reason, String exceptionClass, String message) {
        KafkaRecord out = new KafkaRecord();
        out.key = in.key;
        out.value = in.value;
        out.timestamp = in.timestamp;
        out.headerKeys = in.headerKeys;
        out.headerValues = in.headerValues;
        put(out, TOPIC, String.valueOf(in.topic));
        put(out, PARTITION, Integer.toString(in.partition));
        put(out, OFFSET, Long.toString(in.offset));
        put(out, EXCEPTION_CLASS, exceptionClass);
        put(out, EXCEPTION_MESSAGE, message == null ? "" : message);
        put(out, REASON, reason.code());
        return out;
    }

    /** The dead letter for a decoder's verdict. */
    public static KafkaRecord of(KafkaRecord in, BadRecordException e) {
        return of(in, e.reason(), BadRecordException.class.getName(), e.getMessage());
    }

    private static void put(KafkaRecord r, String key, String value) {
        r.addHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
