package io.github.flinksoftmax.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.format.FormatSettings;
import io.github.flinksoftmax.format.HeaderLookup;
import io.github.flinksoftmax.format.OutputReader;
import io.github.flinksoftmax.format.WireFormat;
import io.github.flinksoftmax.kernel.Activation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Building input records and checking output records in ITCases: every input carries a key, a
 * {@code trace} header and a fixed timestamp, so every test also checks that the job keeps them.
 */
public final class Records {

    /**
     * An hour before this JVM started, to the second: unlike the time the broker appends a
     * record, so a job that replaced it would fail the check; and recent, because the broker
     * deletes records older than its retention (7 days by default) at every retention check.
     * A fixed date in 2023 once lost a test's records to the check that ran mid-test.
     */
    public static final long TIMESTAMP =
            (System.currentTimeMillis() - java.time.Duration.ofHours(1).toMillis()) / 1000 * 1000;
    public static final String TRACE = "trace";

    private Records() {}

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** An input record keyed {@code key} with header {@code trace: t-<key>} and {@link #TIMESTAMP}. */
    public static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, TIMESTAMP, utf8(key), value);
        r.headers().add(new RecordHeader(TRACE, utf8("t-" + key)));
        return r;
    }

    /** Asserts that an output record kept its input's key-derived header and timestamp. */
    public static void assertKeptIdentity(ConsumerRecord<byte[], byte[]> r) {
        String key = string(r.key());
        assertThat(KafkaBroker.header(r, TRACE)).as("trace header of " + key).isEqualTo("t-" + key);
        assertThat(r.timestamp()).as("timestamp of " + key).isEqualTo(TIMESTAMP);
    }

    /** Little-endian float32 bytes, numpy's {@code '<f4'}. */
    public static byte[] float32(float[] z) {
        ByteBuffer b = ByteBuffer.allocate(4 * z.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : z) {
            b.putFloat(x);
        }
        return b.array();
    }

    /** A {@code float32le} output's values, read by the project's one {@link OutputReader}. */
    public static float[] floats(byte[] littleEndian) {
        return FLOAT32LE.read(null, littleEndian, HeaderLookup.NONE).values();
    }

    private static final OutputReader FLOAT32LE = OutputReader.of(WireFormat.FLOAT32LE, FormatSettings.DEFAULTS,
            Activation.SOFTMAX);

    /**
     * Asserts a summary (entropy, margin) against the double reference: within 1e-6 absolute.
     * Summaries are computed from the float32 probabilities, whose rounding dominates: near
     * p = 1, ln p carries the probability's absolute error of about 6e-8 per class.
     */
    public static void assertSummaryClose(String what, double actual, double expected) {
        assertThat(actual).as(what).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    }

    /**
     * Asserts a float output against the double reference within {@code ulps} float ulp of the
     * reference: the kernel's own bound, such as sigmoid's 4 ulp.
     */
    public static void assertWithinUlps(String what, float actual, double expected, int ulps) {
        assertThat((double) actual).as(what).isCloseTo(expected,
                org.assertj.core.data.Offset.offset(ulps * (double) Math.ulp((float) expected)));
    }

    /**
     * Asserts a float output against the double reference: within 1e-6 relative (about 8 float
     * ulp) plus 1e-9 absolute for values the float exponential flushes to zero.
     */
    public static void assertClose(String what, double actual, double expected) {
        if (expected == Double.NEGATIVE_INFINITY) {
            assertThat(actual).as(what).isEqualTo(Double.NEGATIVE_INFINITY);
            return;
        }
        assertThat(actual).as(what).isCloseTo(expected,
                org.assertj.core.data.Offset.offset(1e-6 * Math.abs(expected) + 1e-9));
    }
}
