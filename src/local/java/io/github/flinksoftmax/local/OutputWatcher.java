package io.github.flinksoftmax.local;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the output and dead-letter topics as a correct consumer of an exactly-once job must, with
 * {@code isolation.level=read_committed}, from their ends as they were when it was created: so
 * it counts what this run produced, each record once, and keeps the latest few of each topic for
 * the console. Counting on the reading side, not from Flink's metrics, shows what a user's own
 * consumer would see, when it would see it.
 */
final class OutputWatcher implements AutoCloseable {

    private static final int KEEP = 16;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String outputTopic;
    private final AtomicLong outputs = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Deque<ConsumerRecord<byte[], byte[]>> recentOutputs = new ArrayDeque<>();
    private final Deque<ConsumerRecord<byte[], byte[]>> recentDeadLetters = new ArrayDeque<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;

    /** Positions the reader at the topics' current ends; call before anything is produced. */
    OutputWatcher(KafkaConsumer<byte[], byte[]> consumer, String outputTopic, String deadLetterTopic) {
        this.consumer = consumer;
        this.outputTopic = outputTopic;
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(outputTopic, deadLetterTopic)) {
                partitionsOf(consumer, topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // seekToEnd is lazy; asking for the positions fixes them now, before the producer starts
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
        this.thread = new Thread(this::run, "output-watcher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * A topic created a moment ago may not be in the metadata the consumer gets yet, and a reader
     * assigned no partitions would count nothing without any error; so wait until it has some.
     */
    private static List<PartitionInfo> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic '" + topic + "' has no partitions the reader can see after 30 s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topic '" + topic + "'", e);
            }
        }
    }

    private void run() {
        try {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    boolean output = r.topic().equals(outputTopic);
                    (output ? outputs : deadLetters).incrementAndGet();
                    Deque<ConsumerRecord<byte[], byte[]>> recent = output ? recentOutputs : recentDeadLetters;
                    synchronized (recent) {
                        recent.addLast(r);
                        if (recent.size() > KEEP) {
                            recent.removeFirst();
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    long outputs() {
        return outputs.get();
    }

    long deadLetters() {
        return deadLetters.get();
    }

    /** Why reading stopped, or {@code null} while it goes on. */
    Exception failure() {
        return failure.get();
    }

    /** Removes and returns up to {@code n} of the latest output records, newest last. */
    List<ConsumerRecord<byte[], byte[]>> takeOutputs(int n) {
        return take(recentOutputs, n);
    }

    /** Removes and returns up to {@code n} of the latest dead letters, newest last. */
    List<ConsumerRecord<byte[], byte[]>> takeDeadLetters(int n) {
        return take(recentDeadLetters, n);
    }

    private static List<ConsumerRecord<byte[], byte[]>> take(Deque<ConsumerRecord<byte[], byte[]>> recent, int n) {
        synchronized (recent) {
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(recent);
            recent.clear();
            return all.subList(Math.max(0, all.size() - n), all.size());
        }
    }

    @Override
    public void close() {
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
