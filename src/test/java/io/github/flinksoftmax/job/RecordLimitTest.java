package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * The record size limit counts at least what the Kafka producer counts against
 * {@code max.request.size} (Kafka's own estimate is the oracle), rejects inputs and outputs over
 * it as {@code too-long}, and cuts dead letters to fit it.
 */
class RecordLimitTest {

    @Test
    void countsAtLeastWhatTheProducerCounts() {
        byte[][] keys = {null, new byte[0], bytes(7), bytes(300)};
        byte[][] values = {null, new byte[0], bytes(1), bytes(127), bytes(128), bytes(70_000)};
        String[][] headerSets = {{}, {"trace"}, {"\u00e9t\u00e9", "k\uD83D\uDE00", "x".repeat(200)}};
        for (byte[] key : keys) {
            for (byte[] value : values) {
                for (String[] headerKeys : headerSets) {
                    KafkaRecord r = record(key, value, headerKeys, 300);
                    Header[] headers = new Header[headerKeys.length];
                    for (int i = 0; i < headers.length; i++) {
                        headers[i] = new RecordHeader(headerKeys[i], r.headerValues[i]);
                    }
                    int kafka = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                            CompressionType.NONE, key, value, headers);
                    assertThat(RecordLimit.size(r)).as("%s", r).isGreaterThanOrEqualTo(kafka)
                            .isLessThanOrEqualTo(kafka + 15 + 10L * headers.length);
                }
            }
        }
    }

    @Test
    void inputsAndOutputsOverTheLimitAreTooLong() throws Exception {
        KafkaRecord r = record(bytes(10), bytes(2_000), new String[] {"trace"}, 5);
        long size = RecordLimit.size(r);
        new RecordLimit((int) size).checkInput(r);
        new RecordLimit((int) size).checkOutput(r);
        assertThatThrownBy(() -> new RecordLimit((int) size - 1).checkInput(r))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("the record is " + size + " bytes")
                .hasMessageContaining("softmax.max-record-bytes").extracting(e -> ((BadRecordException) e).reason())
                .isEqualTo(Reason.TOO_LONG);
        assertThatThrownBy(() -> new RecordLimit((int) size - 1).checkOutput(r))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("the output would be " + size + " bytes");
    }

    @Test
    void aDeadLetterWithinTheLimitIsKeptWhole() {
        KafkaRecord in = record(bytes(3), bytes(500), new String[] {"trace"}, 5);
        KafkaRecord dead = deadLetter(in);
        long size = RecordLimit.size(dead);
        assertThat(new RecordLimit((int) size).fit(dead, 1)).isSameAs(dead);
        assertThat(dead.value).isEqualTo(in.value);
        assertThat(dead.lastHeader(RecordLimit.ORIGINAL_VALUE_BYTES)).isNull();
    }

    @Test
    void aDeadLetterOverTheLimitKeepsTheLeadingBytesAndTheOriginalLength() {
        KafkaRecord in = record(bytes(3), bytes(5_000), new String[] {"trace"}, 5);
        KafkaRecord dead = new RecordLimit(2_048).fit(deadLetter(in), 1);
        assertThat(RecordLimit.size(dead)).isLessThanOrEqualTo(2_048).isGreaterThan(2_000);
        assertThat(dead.value).isEqualTo(Arrays.copyOf(in.value, dead.value.length));
        assertThat(text(dead.lastHeader(RecordLimit.ORIGINAL_VALUE_BYTES))).isEqualTo("5000");
        assertThat(dead.key).isEqualTo(in.key);
        assertThat(text(dead.lastHeader("trace"))).isEqualTo("t");
        assertThat(text(dead.lastHeader(DeadLetters.REASON))).isEqualTo("too-long");
    }

    @Test
    void aDeadLetterWhoseKeyAndHeadersAloneAreOverTheLimitKeepsOnlyTheErrorHeaders() {
        KafkaRecord in = record(bytes(3_000), bytes(100), new String[] {"a", "b"}, 1_000);
        KafkaRecord dead = new RecordLimit(1_024).fit(deadLetter(in), 2);
        assertThat(RecordLimit.size(dead)).isLessThanOrEqualTo(1_024);
        assertThat(dead.key).isNull();
        assertThat(dead.value).isEmpty();
        assertThat(dead.lastHeader("a")).isNull();
        assertThat(text(dead.lastHeader(RecordLimit.DROPPED))).isEqualTo("value,key,headers");
        assertThat(text(dead.lastHeader(RecordLimit.ORIGINAL_VALUE_BYTES))).isEqualTo("100");
        assertThat(text(dead.lastHeader(DeadLetters.REASON))).isEqualTo("too-long");
    }

    private static KafkaRecord deadLetter(KafkaRecord in) {
        return new DeadLetters("job", 0, false, 1_024).of(in, new BadRecordException(Reason.TOO_LONG, "m"),
                Step.INPUT_LIMIT, RecordLimit.class);
    }

    private static KafkaRecord record(byte[] key, byte[] value, String[] headerKeys, int headerValueBytes) {
        KafkaRecord r = new KafkaRecord();
        r.key = key;
        r.value = value;
        r.topic = "in";
        for (String k : headerKeys) {
            r.addHeader(k, k.equals("trace") ? new byte[] {'t'} : bytes(headerValueBytes));
        }
        return r;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'v');
        return b;
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
