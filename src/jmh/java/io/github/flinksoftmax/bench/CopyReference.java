package io.github.flinksoftmax.bench;

import io.github.flinksoftmax.job.BenchClientDefaults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's ceiling: a plain byte copy from the input to the output topic, no decoding and
 * no transactions, in this JVM so its CPU is measured as the job's is. One thread per input
 * partition, each with its own consumer and producer and the job's client sizes
 * ({@link BenchClientDefaults}); at-least-once: every second it flushes its producer and only then
 * commits the consumed offsets (one group). Each consumer is assigned its partition rather than
 * subscribing, as Flink's source is: a rebalance while the second consumer joins would hand a
 * partition over with uncommitted offsets and copy its start twice, and the reader, which counts
 * records, would stop early. No job on this broker and these clients can move records faster.
 */
final class CopyReference implements AutoCloseable {

    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    private volatile Throwable failure;

    private CopyReference() {}

    /** Starts one copying thread per partition of {@code input} (it has {@code parallelism}), from the input's start. */
    static CopyReference start(String bootstrap, String group, String input, String output, int parallelism) {
        CopyReference copy = new CopyReference();
        for (int i = 0; i < parallelism; i++) {
            TopicPartition partition = new TopicPartition(input, i);
            Thread t = new Thread(() -> copy.copy(bootstrap, group, partition, output), "bench-copy-" + i);
            t.setDaemon(true);
            copy.threads.add(t);
            t.start();
        }
        return copy;
    }

    private void copy(String bootstrap, String group, TopicPartition partition, String output) {
        Map<String, Object> consumerProps = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Object> producerProps = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.BATCH_SIZE_CONFIG, BenchClientDefaults.BATCH_BYTES,
                ProducerConfig.LINGER_MS_CONFIG, BenchClientDefaults.LINGER_MS,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps,
                        new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps,
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.assign(List.of(partition));
            long nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    producer.send(new ProducerRecord<>(output, null, r.timestamp(), r.key(), r.value()));
                }
                if (System.nanoTime() >= nextCommit) {
                    producer.flush(); // what is committed as consumed must be written first
                    consumer.commitAsync();
                    nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(60_000);
        }
        if (failure != null) {
            throw new IllegalStateException("the copy failed", failure);
        }
    }
}
