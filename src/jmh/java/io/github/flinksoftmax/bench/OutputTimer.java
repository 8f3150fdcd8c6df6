package io.github.flinksoftmax.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a job's output topic from offset 0 with {@code read_committed}, as a correct downstream
 * reader would, on its own thread, until it has seen the expected number of records. For a
 * throughput run, whose output topic has {@code message.timestamp.type=LogAppendTime}, each
 * record's timestamp is when the broker appended it and its arrival here is when it became
 * visible: the reader keeps the first and last append times and when the last record arrived,
 * and samples this JVM's CPU time, its own thread's (so the job's share can be told apart) and
 * the broker's every {@value #SAMPLE_MS} ms, to take the CPU spent between the first and the last
 * append. When asked, it keeps each record's latency: arrival wall-clock time minus the
 * record's timestamp, which the job copies from the input record, whose topic has the broker's
 * append time too. For a latency run it also tells, while it
 * reads, whether the job has caught up with a live load ({@link #caughtUpFor}), and the number
 * of records to wait for may be set once the load's end is known ({@link #expect}).
 */
final class OutputTimer implements Runnable {

    private static final long SAMPLE_MS = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final String bootstrap;
    private final String topic;
    private volatile long expected;
    private final boolean latencies;
    private final long lagMs;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stop;
    private volatile Throwable failure;

    private long count;
    private long bytes;
    private long[] latencyMs = new long[0];
    private long[] sentMs = new long[0];
    // catch-up marks, wall clock: when a record last arrived, and when one last arrived later than lagMs
    private volatile long lastArrivalMs;
    private volatile long lastLateMs;
    // broker append times (LogAppendTime topics) of the first and last record, and when the last arrived
    private long firstAppendMs = Long.MAX_VALUE;
    private long lastAppendMs = Long.MIN_VALUE;
    private long doneMs;
    // CPU samples: wall-clock ms, this JVM's, the reader thread's and the broker's CPU ns
    private final List<long[]> samples = new ArrayList<>();

    private OutputTimer(String bootstrap, String topic, long expected, boolean latencies, long lagMs) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.expected = expected;
        this.latencies = latencies;
        this.lagMs = lagMs;
        if (latencies) {
            latencyMs = new long[1 << 16];
            sentMs = new long[1 << 16];
        }
    }

    /** A throughput reader: waits for {@code expected} records, keeps no latencies. */
    static OutputTimer counting(String bootstrap, String topic, long expected) {
        return new OutputTimer(bootstrap, topic, expected, false, 0);
    }

    /**
     * A latency reader: keeps every record's latency and reads until {@link #expect} says how
     * many records there are; a record later than {@code lagMs} counts as "not caught up".
     */
    static OutputTimer latencies(String bootstrap, String topic, long lagMs) {
        return new OutputTimer(bootstrap, topic, Long.MAX_VALUE, true, lagMs);
    }

    /** Sets how many records to read before stopping (a latency run, once the load's end is known). */
    void expect(long n) {
        expected = n;
    }

    Thread start() {
        Thread t = new Thread(this, "bench-output-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        sample(0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stop && count < expected) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                sample(SAMPLE_MS);
                if (records.isEmpty()) {
                    continue;
                }
                long now = System.currentTimeMillis();
                long worst = 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (latencies && count < expected) {
                        keep(count, now - r.timestamp(), r.timestamp());
                        worst = Math.max(worst, now - r.timestamp());
                    }
                    if (count < expected) {
                        firstAppendMs = Math.min(firstAppendMs, r.timestamp());
                        lastAppendMs = Math.max(lastAppendMs, r.timestamp());
                        bytes += r.serializedValueSize();
                    }
                    count++;
                }
                if (worst > lagMs || lastArrivalMs == 0) {
                    lastLateMs = now; // the first arrival counts as late: catching up is timed from there
                }
                lastArrivalMs = now;
                if (count >= expected) {
                    doneMs = now;
                    sample(0);
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            done.countDown();
        }
    }

    private void keep(long i, long latency, long sent) {
        if (i >= latencyMs.length) {
            latencyMs = Arrays.copyOf(latencyMs, latencyMs.length * 2);
            sentMs = Arrays.copyOf(sentMs, sentMs.length * 2);
        }
        latencyMs[(int) i] = latency;
        sentMs[(int) i] = sent;
    }

    /**
     * Whether the job has kept up with the live load for {@code millis} up to {@code nowMs}: no
     * record arrived later than the lag limit in that time, and records are still arriving (a
     * stalled job, from which nothing arrives, is not caught up).
     */
    boolean caughtUpFor(long millis, long nowMs) {
        long last = lastArrivalMs;
        return last != 0 && nowMs - last <= Math.max(lagMs, 100) && nowMs - lastLateMs >= millis;
    }

    /** Takes a CPU sample unless the last one is younger than {@code minGapMs}. */
    private void sample(long minGapMs) {
        long now = System.currentTimeMillis();
        if (!samples.isEmpty() && now - samples.get(samples.size() - 1)[0] < minGapMs) {
            return;
        }
        samples.add(new long[] {now, OS.getProcessCpuTime(), THREADS.getCurrentThreadCpuTime(), childrenCpuNanos()});
    }

    /** Sampled counter {@code i} at wall-clock {@code ms}, interpolated between the samples around it. */
    private double cpuAt(int i, long ms) {
        long[] before = samples.get(0);
        for (long[] s : samples) {
            if (s[0] >= ms) {
                return s[0] == before[0] ? s[i]
                        : before[i] + (s[i] - before[i]) * (double) (ms - before[0]) / (s[0] - before[0]);
            }
            before = s;
        }
        return before[i];
    }

    /**
     * Nanoseconds of sampled counter {@code i} between the first and the last append: the work on
     * the records. Not up to the last arrival: an exactly-once writer then idles until its next
     * commit (up to the job's 10 s checkpoint interval), which would charge idle time to it alone.
     */
    private double cpuInWindow(int i) {
        return cpuAt(i, lastAppendMs) - cpuAt(i, firstAppendMs);
    }

    /** Waits until all expected records arrived; fails naming how many did after {@code timeout}. */
    void await(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stop = true;
            throw new IllegalStateException("only " + count + " of " + expected + " records reached " + topic
                    + " within " + timeout.toSeconds() + " s");
        }
        if (failure != null) {
            throw new IllegalStateException("reading " + topic + " failed", failure);
        }
    }

    void stop() {
        stop = true;
    }

    /** Value bytes of the expected records. */
    long bytes() {
        return bytes;
    }

    /** CPU seconds of this JVM from the first to the last append, without the reader's own. */
    double jobCpuSeconds() {
        return (cpuInWindow(1) - cpuInWindow(2)) / 1e9;
    }

    /** CPU seconds of this JVM's child processes (the broker, when the benchmark started it) in the same window. */
    double brokerCpuSeconds() {
        return cpuInWindow(3) / 1e9;
    }

    /** Seconds from the first to the last record's broker append (a LogAppendTime topic). */
    double appendSeconds() {
        return (lastAppendMs - firstAppendMs) / 1e3;
    }

    /** Seconds from the first record's broker append until the last one was readable (read_committed). */
    double visibleSeconds() {
        return (doneMs - firstAppendMs) / 1e3;
    }

    /** CPU time of this JVM's live child processes, in nanoseconds. */
    static long childrenCpuNanos() {
        return ProcessHandle.current().children()
                .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L))
                .sum();
    }

    /** Writes each record's send time and latency (ms, arrival order), to line latency spikes up with checkpoints and GC logs. */
    void writeSamples(Path file) throws IOException {
        StringBuilder csv = new StringBuilder("sent_ms,latency_ms\n");
        for (int i = 0; i < Math.min(count, Math.min(expected, latencyMs.length)); i++) {
            csv.append(sentMs[i]).append(',').append(latencyMs[i]).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
    }

    /** Latencies of the records sent at or after {@code fromMs} (wall clock), sorted. */
    long[] latenciesSentFrom(long fromMs) {
        int kept = (int) Math.min(count, Math.min(expected, latencyMs.length));
        long[] out = new long[kept];
        int n = 0;
        for (int i = 0; i < kept; i++) {
            if (sentMs[i] >= fromMs) {
                out[n++] = latencyMs[i];
            }
        }
        long[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return sorted;
    }
}
