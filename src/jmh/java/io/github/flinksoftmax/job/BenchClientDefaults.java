package io.github.flinksoftmax.job;

/**
 * The job's Kafka client defaults ({@link KafkaClientDefaults}, package-private in the job jar)
 * made readable to the benchmark's reference implementations, so the Kafka Streams app and the
 * byte copy run with exactly the client settings the job starts from, read from the one
 * place they are declared. Lives beside the benchmarks, never in the job jar.
 */
public final class BenchClientDefaults {

    /** Producer {@code batch.size}, bytes. */
    public static final int BATCH_BYTES = KafkaClientDefaults.BATCH_BYTES;
    /**
     * Producer {@code linger.ms}: Kafka's own default since 4.0, which the job keeps; set explicitly
     * because Kafka Streams raises its producers' to 100 ms.
     */
    public static final int LINGER_MS = 5;

    private BenchClientDefaults() {}
}
