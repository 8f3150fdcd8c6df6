package io.github.flinksoftmax.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The offered load of a latency run: on its own thread, one record every {@code 1/rate} seconds
 * on a schedule that does not drift when a send is late, each record's timestamp its send time,
 * until {@link #stopAt} names the last one. Open-ended so that the benchmark can keep the load on
 * while the job warms up and decide only then where the measured window ends. Values cycle
 * through the given pre-encoded records; keys are the record numbers, which spread records over
 * the partitions. Not thread-safe beyond start, {@link #stopAt} and {@link #await} from one
 * controlling thread.
 */
final class PacedLoad implements Runnable {

    private final String bootstrap;
    private final String topic;
    private final byte[][] values;
    private final double rate;
    private final int lingerMs;
    private final int batchBytes;
    private final Thread thread = new Thread(this, "bench-paced-load");
    private volatile long limit = Long.MAX_VALUE;
    private volatile Throwable failure;
    private long startNanos;
    private long startMs;

    PacedLoad(String bootstrap, String topic, byte[][] values, double rate, int lingerMs, int batchBytes) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.values = values;
        this.rate = rate;
        this.lingerMs = lingerMs;
        this.batchBytes = batchBytes;
    }

    /** Starts sending; returns the wall-clock millisecond the schedule starts at. */
    long start() {
        startNanos = System.nanoTime();
        startMs = System.currentTimeMillis();
        thread.setDaemon(true);
        thread.start();
        return startMs;
    }

    @Override
    public void run() {
        double interval = TimeUnit.SECONDS.toNanos(1) / rate;
        try (KafkaProducer<byte[], byte[]> producer = Producers.producer(bootstrap, lingerMs, batchBytes)) {
            for (long i = 0; i < limit; i++) {
                long due = startNanos + (long) (i * interval);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), Producers.key(i),
                        values[(int) (i % values.length)]));
            }
            producer.flush();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /**
     * Ends the schedule at wall-clock {@code endMs} (which must lie ahead of the schedule) and
     * returns how many records the load sends in all.
     */
    long stopAt(long endMs) {
        long n = (long) Math.ceil((endMs - startMs) / 1000.0 * rate);
        limit = n;
        return n;
    }

    /** Ends the schedule now (a failed run), so the thread does not send on into the next run. */
    void stop() {
        limit = 0;
    }

    /** Waits until the last record is acknowledged; fails if sending failed. */
    void await(long timeoutMs) throws InterruptedException {
        thread.join(timeoutMs);
        if (thread.isAlive()) {
            throw new IllegalStateException("the paced load to " + topic + " did not finish within " + timeoutMs + " ms");
        }
        if (failure != null) {
            throw new IllegalStateException("sending to " + topic + " failed", failure);
        }
    }
}
