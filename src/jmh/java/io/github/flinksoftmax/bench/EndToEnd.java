package io.github.flinksoftmax.bench;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.job.PassThroughPipeline;
import io.github.flinksoftmax.job.SoftmaxPipeline;
import io.github.flinksoftmax.kernel.Softmax;
import io.github.flinksoftmax.local.LocalKafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The end-to-end benchmark: a real broker (started here as its own process, or an existing one),
 * Flink in this JVM, and the real job wiring. For each format it pre-fills an input topic with
 * N records of K classes, then runs from offset 0 until all N outputs are readable with
 * {@code read_committed}: the softmax job, the pass-through job of the same shape, and the
 * softmax job forced to the scalar kernel. Then, at half the fastest softmax run's rate (or at
 * the given rates), it offers a fixed load and measures latency with at-least-once delivery (and
 * again at a quarter of that rate), and with exactly-once (at the first rate) for each
 * checkpoint interval; each latency window starts once the job has caught up with the load (see
 * {@link #latency}). Writes {@code results.csv}, {@code results.md} and two charts to the
 * output directory. Usage: see {@link BenchArgs}.
 */
public final class EndToEnd {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);
    private static final List<String> JOBS = List.of("softmax", "pass-through", "softmax-scalar");

    private final BenchArgs args;
    private final String bootstrap;
    private final BenchCluster cluster;
    private final List<Result> results = new ArrayList<>();
    private int runs;

    private EndToEnd(BenchArgs args, String bootstrap, BenchCluster cluster) {
        this.args = args;
        this.bootstrap = bootstrap;
        this.cluster = cluster;
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = BenchArgs.parse(argv);
        Files.createDirectories(args.workDir());
        Path work = Files.createTempDirectory(args.workDir(), "softmax-bench");
        LocalKafka broker = null;
        String bootstrap = args.bootstrapServers();
        if (bootstrap == null) {
            LocalKafka.Jvm jvm = brokerJvm(args);
            log("broker JVM: %s", describe(jvm));
            broker = new LocalKafka(freePort(), work.resolve("kafka"), work.resolve("kafka.log"), null, jvm);
            broker.start(Duration.ofMinutes(2));
            bootstrap = broker.bootstrapServers();
        }
        try (BenchCluster cluster = BenchCluster.start(args.parallelism())) {
            EndToEnd bench = new EndToEnd(args, bootstrap, cluster);
            bench.runAll();
            bench.write(broker != null);
        } finally {
            if (broker != null) {
                broker.close();
            }
            // the broker's log of the pre-filled topics: gigabytes per run (40 GB seen left in /tmp)
            FileUtils.deleteDirectory(work.toFile());
        }
        // the MiniCluster leaves non-daemon threads behind; the results are written
        System.exit(0);
    }

    /** Kafka's launcher flags on this JVM's java unless --broker-jvm-opts or --broker-java say otherwise. */
    private static LocalKafka.Jvm brokerJvm(BenchArgs args) {
        return new LocalKafka.Jvm(args.brokerJava(),
                args.brokerJvmOpts().isEmpty() ? LocalKafka.BROKER_JVM_FLAGS : args.brokerJvmOpts());
    }

    /** The started broker's java and flags, for the log and the results' machine line. */
    private static String describe(LocalKafka.Jvm jvm) {
        return (jvm.javaHome() == null ? "this JVM's java" : jvm.javaHome() + "/bin/java") + ", "
                + String.join(" ", jvm.flags());
    }

    private void runAll() throws Exception {
        for (String format : args.formats()) {
            byte[][] values = Producers.values(format, args.classes());
            double recordBytes = Arrays.stream(values).mapToInt(v -> v.length).average().orElseThrow();
            long n = Math.max(1000, (long) (args.inputMb() * 1e6 / recordBytes));
            String input = topic("in-" + format);
            log("%s K=%d: pre-filling %s with %,d records of %.0f bytes", format, args.classes(), input, n, recordBytes);
            Producers.fill(bootstrap, input, values, n);
            for (String job : JOBS) { // warm-up: JIT, class loading, topic metadata; not recorded
                throughput(job, format, input, Math.min(n, args.warmupRecords()), recordBytes, false);
            }
            // the job order rotates between repeats, so no job always runs first after the pre-fill
            for (int r = 0; r < args.repeat(); r++) {
                for (int j = 0; j < JOBS.size(); j++) {
                    throughput(JOBS.get((j + r) % JOBS.size()), format, input, n, recordBytes, true);
                }
            }
            deleteTopics(input);
        }
        for (String format : args.latencyFormats()) {
            List<Double> rates = args.rates();
            if (rates.isEmpty()) { // a lighter load too: on 2 shared cores the producer and reader cost as much as the job
                double max = results.stream().filter(r -> r.scenario().equals("throughput") && r.format().equals(format)
                        && r.job().equals("softmax")).mapToDouble(Result::recordsPerSecond).max()
                        .orElseThrow(() -> new IllegalArgumentException("--rate 0 needs a throughput run of " + format
                                + " (--formats) to take half of; give rates instead"));
                rates = List.of(max / 2, max / 4);
            }
            byte[][] values = Producers.values(format, args.classes());
            for (double rate : rates) {
                latency(format, values, rate, false, args.aloCheckpoint());
            }
            for (Duration interval : args.intervals()) {
                latency(format, values, rates.get(0), true, interval);
            }
        }
    }

    private void throughput(String job, String format, String input, long n, double recordBytes, boolean record)
            throws Exception {
        String output = topic("out-" + job);
        JobClient client = submit(job, format, input, output, false, args.aloCheckpoint());
        OutputTimer reader = OutputTimer.counting(bootstrap, output, n);
        reader.start();
        try {
            reader.await(RUN_TIMEOUT);
        } finally {
            BenchCluster.cancel(client, Duration.ofMinutes(1));
            deleteTopics(output, output + "-dlq");
        }
        if (!record) {
            return;
        }
        double seconds = reader.seconds();
        double timed = reader.recordsTimed();
        double millions = timed / 1e6;
        Result r = new Result("throughput", format, args.classes(), job, "at-least-once", args.aloCheckpoint().toMillis(),
                n, seconds, timed / seconds, timed * recordBytes / 1e6 / seconds,
                reader.jobCpuSeconds() / millions, brokerCpu(reader) / millions,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
        results.add(r);
        log("%-14s %-9s %,10.0f records/s %7.1f MB/s  %6.1f CPU s/M (Flink JVM)  %6.1f CPU s/M (broker)",
                job, format, r.recordsPerSecond(), r.inputMbPerSecond(), r.jobCpuPerMillion(), r.brokerCpuPerMillion());
    }

    /**
     * One latency run: a paced load at {@code rate} for a warm-up (at least {@code --latency-warmup},
     * and until the job has caught up unless {@code --catch-up-lag} is 0), then a measured window of
     * {@code --latency-seconds}; percentiles cover the records sent in the window, the samples file
     * every record, warm-up included.
     */
    private void latency(String format, byte[][] values, double rate, boolean exactlyOnce, Duration interval)
            throws Exception {
        String input = topic("lat-in-" + format);
        String output = topic("lat-out");
        JobClient client = submit("softmax", format, input, output, exactlyOnce, interval);
        // exactly-once output arrives in bursts a checkpoint interval apart: "caught up" by a lag limit
        // does not apply, so those runs start their window after the fixed warm-up
        long lag = exactlyOnce ? 0 : args.catchUpLag().toMillis();
        OutputTimer reader = OutputTimer.latencies(bootstrap, output, lag);
        PacedLoad load = new PacedLoad(bootstrap, input, values, rate, args.producerLingerMs(),
                args.producerBatchKb() << 10);
        try {
            awaitRunning(client);
            reader.start();
            long startMs = load.start();
            long fromMs = windowStart(reader, startMs, lag);
            boolean caughtUp = lag > 0 && reader.caughtUpFor(args.catchUpFor().toMillis(), fromMs);
            long n = load.stopAt(fromMs + args.latencySeconds() * 1000L);
            reader.expect(n);
            load.await(RUN_TIMEOUT.toMillis());
            reader.await(RUN_TIMEOUT);
            long[] sorted = reader.latenciesSentFrom(fromMs);
            reader.writeSamples(args.out().resolve(String.format(Locale.ROOT, "samples-%s-%dms-%.0f.csv",
                    exactlyOnce ? "eo" : "alo", interval.toMillis(), rate)));
            double warmup = (fromMs - startMs) / 1000.0;
            Result r = new Result(exactlyOnce ? "latency-eo" : "latency-alo", format, args.classes(), "softmax",
                    exactlyOnce ? "exactly-once" : "at-least-once", interval.toMillis(), sorted.length,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, rate,
                    percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999), warmup, caughtUp);
            results.add(r);
            String start = lag == 0 ? "fixed warm-up" : caughtUp ? "caught up" : "NOT caught up";
            log("latency %-13s %-9s checkpoint %5d ms, %,.0f records/s offered, window from %.1f s (%s): "
                            + "p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms",
                    r.delivery(), format, interval.toMillis(), rate, warmup, start, r.p50Ms(), r.p99Ms(), r.p999Ms());
        } finally {
            load.stop();
            reader.stop();
            BenchCluster.cancel(client, Duration.ofMinutes(1));
            deleteTopics(input, output, output + "-dlq");
        }
    }

    /**
     * When the measured window starts (wall-clock ms): after the warm-up, and once the job has
     * kept up with the load for {@code --catch-up-for}, or at {@code --catch-up-max} if it never does.
     */
    private long windowStart(OutputTimer reader, long startMs, long lag) throws InterruptedException {
        long earliest = startMs + args.latencyWarmup().toMillis();
        long latest = startMs + Math.max(args.latencyWarmup().toMillis(), args.catchUpMax().toMillis());
        while (true) {
            long now = System.currentTimeMillis();
            if (now >= earliest && (lag == 0 || reader.caughtUpFor(args.catchUpFor().toMillis(), now) || now >= latest)) {
                return now;
            }
            Thread.sleep(20);
        }
    }

    private JobClient submit(String job, String format, String input, String output, boolean exactlyOnce,
            Duration checkpoint) throws Exception {
        String name = "bench-" + runs + "-" + job;
        Map<String, Object> raw = new HashMap<>();
        raw.put("job.name", name);
        raw.put("input.topic", input);
        raw.put("output.topic", output);
        raw.put("dead-letter.topic", output + "-dlq");
        raw.put("input.starting-offsets", "earliest");
        raw.put("format", format);
        raw.put("delivery.guarantee", exactlyOnce ? "exactly-once" : "at-least-once");
        raw.put("checkpoint.interval", checkpoint.toMillis() + "ms");
        raw.put("parallelism", Integer.toString(args.parallelism()));
        raw.put("softmax.kernel", job.equals("softmax-scalar") ? "scalar" : "auto");
        raw.put("kafka.bootstrap.servers", bootstrap);
        if (format.equals("float32le")) {
            raw.put("float32le.classes", Integer.toString(args.classes()));
        }
        raw.putAll(args.jobOptions()); // experiments, e.g. kafka.sink.linger.ms=0
        JobConfig config = JobConfig.of(raw);
        createTopics(output + "-dlq");
        return cluster.submit(name, env -> {
            if (job.equals("pass-through")) {
                PassThroughPipeline.build(env, config);
            } else {
                SoftmaxPipeline.build(env, config);
            }
        });
    }

    /** Waits until the job runs and its source had time to find its partitions, so the first records are not queued behind start-up. */
    private static void awaitRunning(JobClient client) throws Exception {
        while (client.getJobStatus().get(10, TimeUnit.SECONDS) != org.apache.flink.api.common.JobStatus.RUNNING) {
            Thread.sleep(50);
        }
        Thread.sleep(3000);
    }

    private String topic(String base) throws Exception {
        String name = base + "-" + (++runs);
        createTopics(name);
        return name;
    }

    private void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, Optional.of(args.parallelism()), Optional.empty()));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Drops a run's topics once it is over: a full run writes about 19 GB otherwise (every run's
     * output, the latency runs' input), which in a {@code /dev/shm} work directory is memory, and
     * ran this 24 GB machine out of it.
     */
    private void deleteTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(names)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private double brokerCpu(OutputTimer reader) {
        return args.bootstrapServers() == null ? reader.brokerCpuSeconds() : Double.NaN;
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // nearest rank: the smallest value with at least q of the samples at or below it
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private void write(boolean ownBroker) throws IOException {
        Path dir = args.out();
        Files.createDirectories(dir);
        List<String> csv = new ArrayList<>();
        csv.add(Result.CSV_HEADER);
        results.forEach(r -> csv.add(r.csv()));
        Files.write(dir.resolve("results.csv"), csv);
        String machine = machine(ownBroker);
        Files.writeString(dir.resolve("results.md"), Report.markdown(results, machine, args));
        Charts.write(results, dir);
        log("wrote %s (results.csv, results.md, throughput.png, latency.png)", dir);
    }

    private String machine(boolean ownBroker) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?");
        return String.format(Locale.ROOT, "%s, %d cores; JDK %s (%s); kernel %s; Flink MiniCluster in one JVM "
                        + "(parallelism %d), %s",
                cpu, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.vendor"), Softmax.create("auto").kernelName(), args.parallelism(),
                ownBroker ? "Kafka 4.2 broker (KRaft) as a separate process on the same machine (JVM: "
                        + describe(brokerJvm(args)) + ")"
                        : "external broker " + bootstrap);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void log(String format, Object... values) {
        System.out.printf(Locale.ROOT, "[bench] " + format + "%n", values);
        System.out.flush();
    }
}
