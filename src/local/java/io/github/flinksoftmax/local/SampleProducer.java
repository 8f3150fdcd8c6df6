package io.github.flinksoftmax.local;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Writes {@link SampleRecords} (in the job's format) to the input topic at a fixed rate, keyed by id, on its own
 * thread: slow enough to read along on the console, steady enough that the web UI shows a flat
 * throughput line. A limit of 0 means no limit.
 */
final class SampleProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final SampleRecords samples;
    private final long nanosPerRecord;
    private final long limit;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    SampleProducer(KafkaProducer<byte[], byte[]> producer, String topic, SampleRecords samples, int recordsPerSecond,
            long limit) {
        if (recordsPerSecond <= 0) {
            throw new IllegalArgumentException("recordsPerSecond must be > 0, got " + recordsPerSecond);
        }
        this.producer = producer;
        this.topic = topic;
        this.samples = samples;
        this.nanosPerRecord = TimeUnit.SECONDS.toNanos(1) / recordsPerSecond;
        this.limit = limit;
        this.thread = new Thread(this::run, "sample-producer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Records the broker acknowledged so far. */
    long produced() {
        return acknowledged.get();
    }

    /** The first send that failed, or {@code null}. */
    Exception failure() {
        return failure.get();
    }

    private void run() {
        long start = System.nanoTime();
        try {
            for (long n = 0; !stopped && (limit == 0 || n < limit); n++) {
                // paced from the start time, not the previous send, so a slow send does not lower the rate
                long wait = start + n * nanosPerRecord - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                SampleRecord sample = samples.sample(n);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, sample.key(), sample.value());
                sample.headers().forEach((name, value) -> record.headers().add(name, value));
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        } catch (InterruptedException | InterruptException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
