package io.github.flinksoftmax.job;

import java.util.Arrays;

/**
 * A Kafka record as it travels through the job: value and key bytes, headers, timestamp, and
 * where it came from (topic, partition, offset; unset on records going out). The same type
 * serves input, output and dead letters, so the operator and both sinks share one serializer.
 *
 * <p>A public-field POJO on purpose: Flink's POJO serializer handles it, so no record silently
 * falls back to Kryo. Headers are two parallel arrays because Kafka headers are an ordered
 * multimap, which a {@code Map} would not keep.
 */
public class KafkaRecord {

    public byte[] key;
    public byte[] value;
    public String[] headerKeys = new String[0];
    public byte[][] headerValues = new byte[0][];
    /** Milliseconds since the epoch, or {@code Long.MIN_VALUE} when the record has none. */
    public long timestamp = Long.MIN_VALUE;
    public String topic;
    public int partition = -1;
    public long offset = -1;

    public KafkaRecord() {}

    /**
     * Appends a header. The arrays are copied, never written in place: an output record starts
     * with its input's header arrays, which the input still owns.
     */
    public void addHeader(String name, byte[] value) {
        int n = headerKeys.length;
        headerKeys = Arrays.copyOf(headerKeys, n + 1);
        headerValues = Arrays.copyOf(headerValues, n + 1);
        headerKeys[n] = name;
        headerValues[n] = value;
    }

    /** The value of the last header with this key, or {@code null}. */
    public byte[] lastHeader(String name) {
        for (int i = headerKeys.length - 1; i >= 0; i--) {
            if (headerKeys[i].equals(name)) {
                return headerValues[i];
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "KafkaRecord{topic=" + topic + ", partition=" + partition + ", offset=" + offset
                + ", timestamp=" + timestamp + ", headers=" + Arrays.toString(headerKeys)
                + ", value=" + (value == null ? "null" : value.length + " bytes") + "}";
    }
}
