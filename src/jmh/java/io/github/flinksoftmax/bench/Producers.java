package io.github.flinksoftmax.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes benchmark input as fast as the broker takes it (the pre-fill before a throughput run),
 * and makes the producers of both that and the paced load of a latency run ({@link PacedLoad}).
 * Values cycle through {@link #DISTINCT} pre-encoded records so producing costs no encoding; keys
 * are the record numbers, which spread records over the partitions.
 */
final class Producers {

    static final int DISTINCT = 64;

    private Producers() {}

    static byte[][] values(String format, int k) {
        byte[][] values = new byte[DISTINCT][];
        for (int i = 0; i < DISTINCT; i++) {
            values[i] = BenchRecords.value(format, i, k);
        }
        return values;
    }

    /**
     * A producer with acks=all. The paced load's default linger is 5 ms, Kafka 4's own: a request
     * per record would cost the shared broker more than the job does.
     */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs, int batchBytes) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs),
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchBytes),
                ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(256L << 20),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Writes records {@code from} (inclusive) to {@code to} (exclusive) of the input sequence as fast
     * as possible and waits until all are acknowledged.
     */
    static void fill(String bootstrap, String topic, byte[][] values, long from, long to) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 20, 1 << 20)) {
            for (long i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, key(i), values[(int) (i % values.length)]));
            }
            producer.flush();
        }
    }

    static byte[] key(long i) {
        return Long.toString(i).getBytes(StandardCharsets.UTF_8);
    }
}
