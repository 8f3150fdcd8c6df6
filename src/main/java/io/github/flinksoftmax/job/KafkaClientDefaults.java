package io.github.flinksoftmax.job;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings the job starts from, for records of a few KB to a MB (a 1000-class
 * float32 row is 4 KB, as JSON about 12 KB): each applies only where the user's {@code kafka.*},
 * {@code kafka.source.*} or {@code kafka.sink.*} settings leave the key unset.
 *
 * <p>Only what was measured to pay is here (the job exactly-once at K = 1000, float32le,
 * 2 partitions, one setting at a time put back to Kafka's default, {@code EndToEnd --variants}):
 * Kafka's 16 KiB producer batch holds four 4 KB records and cost 38% of the throughput
 * (31,719 against 51,300 records/s), with 1.7x the broker CPU per record. Put back to Kafka's
 * defaults without a measurable loss, and so left to Kafka: {@code max.partition.fetch.bytes}
 * (1 MiB), {@code fetch.max.bytes} (50 MiB), {@code buffer.memory} (32 MiB), {@code linger.ms}
 * (5 ms since Kafka 4.0) and compression (none; lz4 gained nothing on float data). A consumer
 * returns a record larger than its fetch sizes on its own, so those need no sizing for large
 * records; the producer's request and buffer limits do.
 */
final class KafkaClientDefaults {

    /** Producer batch: many 4 KB records per request rather than four. */
    static final int BATCH_BYTES = 1 << 20;
    /** Kafka's own {@code buffer.memory}; the job raises it only for a larger record limit. */
    private static final long KAFKA_BUFFER_BYTES = 32L << 20;

    private KafkaClientDefaults() {}

    /** The consumer's properties: the user's, then these defaults where the user set nothing. */
    static Properties consumer(JobConfig config) {
        Properties props = config.kafkaSourceProperties();
        // a reader that saw aborted transactions of an upstream exactly-once writer would pass on duplicates
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    /** The producers' properties: the user's, then these defaults where the user set nothing. */
    static Properties producer(JobConfig config) {
        Properties props = config.kafkaSinkProperties();
        props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(config.get(SoftmaxOptions.DELIVERY_TRANSACTION_TIMEOUT).toMillis()));
        // the operator keeps every record within max-record-bytes as the producer counts it, so the
        // producer never refuses one; a refusal would fail the job again on the same record after each restart
        int maxRecord = config.maxRecordBytes();
        props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRecord));
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        // the producer refuses a record larger than its whole buffer: room for two of the largest
        if (2L * maxRecord > KAFKA_BUFFER_BYTES) {
            props.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(2L * maxRecord));
        }
        return props;
    }
}
