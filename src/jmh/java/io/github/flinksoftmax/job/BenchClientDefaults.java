package io.github.flinksoftmax.job;

/**
 * The job's Kafka client defaults ({@link KafkaClientDefaults}, package-private in the job jar)
 * made readable to the benchmark's reference implementations, so the Kafka Streams app and the
 * byte copy run with exactly the batch and fetch sizes the job starts from, read from the one
 * place they are declared. Lives beside the benchmarks, never in the job jar.
 */
public final class BenchClientDefaults {

    /** Producer {@code batch.size}, bytes. */
    public static final int BATCH_BYTES = KafkaClientDefaults.BATCH_BYTES;
    /** Producer {@code linger.ms}. */
    public static final int LINGER_MS = KafkaClientDefaults.LINGER_MS;
    /** Consumer {@code max.partition.fetch.bytes}. */
    public static final int PARTITION_FETCH_BYTES = KafkaClientDefaults.PARTITION_FETCH_BYTES;
    /** Consumer {@code fetch.max.bytes}. */
    public static final int FETCH_BYTES = KafkaClientDefaults.FETCH_BYTES;

    private BenchClientDefaults() {}
}
