package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.JsonFormat;
import io.github.flinksoftmax.format.Reason;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The error context a dead letter carries, header by header, as Kafka Connect's dead-letter
 * queue writes it; and the stack trace, which is off unless asked for and never makes a dead
 * letter too large for the sink.
 */
class DeadLettersTest {

    @Test
    void carriesConnectsErrorContextAfterTheInputsOwnHeaders() {
        KafkaRecord in = input();
        KafkaRecord dead = new DeadLetters("scoring", 3, false, 1 << 20).of(in,
                new BadRecordException(Reason.MALFORMED_JSON, "unexpected end of input at offset 9"),
                Step.DECODE, JsonFormat.class);
        assertThat(dead.headerKeys).containsExactly("trace",
                DeadLetters.TOPIC, DeadLetters.PARTITION, DeadLetters.OFFSET, DeadLetters.CONNECTOR_NAME,
                DeadLetters.TASK_ID, DeadLetters.STAGE, DeadLetters.EXECUTING_CLASS, DeadLetters.EXCEPTION_CLASS,
                DeadLetters.EXCEPTION_MESSAGE, DeadLetters.REASON);
        assertThat(text(dead, DeadLetters.TOPIC)).isEqualTo("logits");
        assertThat(text(dead, DeadLetters.PARTITION)).isEqualTo("2");
        assertThat(text(dead, DeadLetters.OFFSET)).isEqualTo("41");
        assertThat(text(dead, DeadLetters.CONNECTOR_NAME)).isEqualTo("scoring");
        assertThat(text(dead, DeadLetters.TASK_ID)).isEqualTo("3");
        assertThat(text(dead, DeadLetters.STAGE)).isEqualTo("VALUE_CONVERTER");
        assertThat(text(dead, DeadLetters.EXECUTING_CLASS)).isEqualTo("io.github.flinksoftmax.format.JsonFormat");
        assertThat(text(dead, DeadLetters.EXCEPTION_CLASS)).isEqualTo(BadRecordException.class.getName());
        assertThat(text(dead, DeadLetters.EXCEPTION_MESSAGE)).isEqualTo("unexpected end of input at offset 9");
        assertThat(text(dead, DeadLetters.REASON)).isEqualTo("malformed-json");
        assertThat(dead.key).isSameAs(in.key);
        assertThat(dead.value).isSameAs(in.value);
        assertThat(dead.timestamp).isEqualTo(in.timestamp);
        assertThat(in.headerKeys).as("the input's own headers, untouched").containsExactly("trace");
    }

    @Test
    void theStackTraceIsThereOnlyWhenAskedFor() {
        RuntimeException bug = new IllegalStateException("a decoder bug");
        KafkaRecord without = new DeadLetters("j", 0, false, 1 << 20)
                .of(input(), Reason.UNREADABLE, Step.DECODE, JsonFormat.class, bug);
        assertThat(without.lastHeader(DeadLetters.EXCEPTION_STACKTRACE)).isNull();

        KafkaRecord with = new DeadLetters("j", 0, true, 1 << 20)
                .of(input(), Reason.UNREADABLE, Step.DECODE, JsonFormat.class, bug);
        assertThat(text(with, DeadLetters.EXCEPTION_STACKTRACE))
                .startsWith("java.lang.IllegalStateException: a decoder bug")
                .contains("\tat " + DeadLettersTest.class.getName() + ".theStackTraceIsThereOnlyWhenAskedFor(");
    }

    @Test
    void aVerdictOfTheJobsOwnChecksHasOnlyItsLineForATrace() {
        KafkaRecord dead = new DeadLetters("j", 0, true, 1 << 20).of(input(),
                new BadRecordException(Reason.ALL_MASKED, "the vector is entirely -Infinity"), Step.SOFTMAX,
                io.github.flinksoftmax.kernel.Softmax.class);
        assertThat(text(dead, DeadLetters.EXCEPTION_STACKTRACE)).isEqualTo(BadRecordException.class.getName()
                + ": the vector is entirely -Infinity" + System.lineSeparator());
        assertThat(text(dead, DeadLetters.STAGE)).isEqualTo("TRANSFORMATION");
    }

    @Test
    void aLongTraceIsCutSoTheDeadLetterStillFitsTheSmallestLimit() {
        int limit = 1_024; // the smallest softmax.max-record-bytes allows
        RuntimeException deep = deepException(200);
        KafkaRecord in = input();
        KafkaRecord dead = new RecordLimit(limit).fit(new DeadLetters("j", 0, true, limit)
                .of(in, Reason.UNREADABLE, Step.DECODE, JsonFormat.class, deep), in.headerKeys.length);
        assertThat(RecordLimit.size(dead)).isLessThanOrEqualTo(limit);
        assertThat(text(dead, DeadLetters.EXCEPTION_STACKTRACE)).startsWith("java.lang.IllegalStateException: deep")
                .endsWith("(cut to fit softmax.max-record-bytes)\n");
        assertThat(text(dead, DeadLetters.REASON)).isEqualTo("unreadable");
    }

    private static RuntimeException deepException(int depth) {
        return depth == 0 ? new IllegalStateException("deep") : deepException(depth - 1);
    }

    private static KafkaRecord input() {
        KafkaRecord in = new KafkaRecord();
        in.key = "k".getBytes(StandardCharsets.UTF_8);
        in.value = "[1.0, 2.0".getBytes(StandardCharsets.UTF_8);
        in.timestamp = 1_700_000_000_000L;
        in.topic = "logits";
        in.partition = 2;
        in.offset = 41;
        in.addHeader("trace", "t-k".getBytes(StandardCharsets.UTF_8));
        return in;
    }

    private static String text(KafkaRecord r, String header) {
        byte[] value = r.lastHeader(header);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
