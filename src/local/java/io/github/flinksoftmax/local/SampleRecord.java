package io.github.flinksoftmax.local;

import io.github.flinksoftmax.format.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One record the sample producer writes, in whatever format the job reads.
 *
 * @param id the record's key as text (and its {@code id} field where the format has one)
 * @param kind what the record is meant to exercise, such as {@code batch} or {@code nan}
 * @param value the record's value
 * @param headers the record's headers, such as float32le's {@code shape}; never {@code null}
 * @param reason why the job dead-letters it, or {@code null} for a good record
 */
record SampleRecord(String id, String kind, byte[] value, Map<String, byte[]> headers, Reason reason) {

    byte[] key() {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    boolean bad() {
        return reason != null;
    }
}
