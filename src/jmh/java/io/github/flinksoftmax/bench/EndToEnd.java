package io.github.flinksoftmax.bench;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.job.PassThroughPipeline;
import io.github.flinksoftmax.job.SoftmaxPipeline;
import io.github.flinksoftmax.kernel.Softmax;
import io.github.flinksoftmax.local.LocalKafka;

import java.io.IOException;
import java.lang.management.ManagementFactory;
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
import org.apache.kafka.common.config.TopicConfig;

/**
 * The end-to-end benchmark: a real broker (started here as its own process, or an existing one),
 * Flink in this JVM, and the real job wiring. For each case (format and K) it pre-fills an input
 * topic with N records, then runs each implementation from offset 0 until all N outputs are
 * readable with {@code read_committed}: the softmax job exactly-once at its defaults, its
 * variants, the pass-through job of the same shape, the job forced to the scalar kernel, and the
 * references that are not the job: a Kafka Streams app doing the same softmax (at-least-once and
 * exactly-once, {@link StreamsReference}) and a plain byte copy ({@link CopyReference}), on the
 * same broker, topics and data. Output topics keep the broker's append time, so one reader times
 * both the appends and when the output became visible. Then, at half the fastest softmax run's
 * rate (or at the given rates), it offers a fixed load and measures latency with at-least-once
 * delivery (and again at a quarter of that rate), and with exactly-once (at the first rate) for
 * each checkpoint interval; each latency window starts once the job has caught up with the load
 * (see {@link #latency}). Writes {@code results.csv}, {@code results.md} and two charts to the
 * output directory. Usage: see {@link BenchArgs}.
 */
public final class EndToEnd {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);
    /** The whole machine's CPU use, both cores, for {@link #settle()}. */
    private static final com.sun.management.OperatingSystemMXBean MACHINE =
            ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    /** Quiet: at most this share of the machine's CPU in use (the idle MiniCluster and broker take a few per cent). */
    private static final double QUIET_LOAD = 0.10;
    private static final long SETTLE_WINDOW_MS = 500;
    private static final Duration SETTLE_MAX = Duration.ofSeconds(30);
    private final BenchArgs args;
    private final String bootstrap;
    private final Path work;
    private final BenchCluster cluster;
    private final List<Result> results = new ArrayList<>();
    private int runs;

    private EndToEnd(BenchArgs args, String bootstrap, Path work, BenchCluster cluster) {
        this.args = args;
        this.bootstrap = bootstrap;
        this.work = work;
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
            EndToEnd bench = new EndToEnd(args, bootstrap, work, cluster);
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
        List<String> jobs = args.throughputJobs();
        for (BenchArgs.Case c : args.cases()) {
            byte[][] values = Producers.values(c.format(), c.k());
            double recordBytes = Arrays.stream(values).mapToInt(v -> v.length).average().orElseThrow();
            long n = Math.max(1000, (long) (args.inputMb() * 1e6 / recordBytes));
            String input = topic("in-" + c.format() + "-" + c.k(), false);
            log("%s: pre-filling %s with %,d records of %.0f bytes", c, input, n, recordBytes);
            Producers.fill(bootstrap, input, values, 0, n);
            double fastest = 0;
            for (String job : jobs) { // warm-up: JIT, class loading, topic metadata; not recorded
                fastest = Math.max(fastest, throughput(job, c, input, Math.min(n, args.warmupRecords()), recordBytes, false));
            }
            long atLeast = (long) Math.ceil(fastest * args.minSeconds());
            if (atLeast > n) {
                log("%s: topping %s up to %,d records, %.0f s at the fastest warm-up rate (%,.0f records/s)",
                        c, input, atLeast, args.minSeconds(), fastest);
                Producers.fill(bootstrap, input, values, n, atLeast);
                n = atLeast;
            }
            // One unrecorded round on the whole topic first: the first full round after the short
            // warm-ups ran at half the later rounds' rate in every implementation, the job's JVM and
            // the broker both spending twice the CPU per record. Then the job order rotates between
            // repeats, so no job always runs first.
            for (int r = -1; r < args.repeat(); r++) {
                for (int j = 0; j < jobs.size(); j++) {
                    throughput(jobs.get((j + Math.max(r, 0)) % jobs.size()), c, input, n, recordBytes, r >= 0);
                }
            }
            deleteTopics(input);
        }
        for (BenchArgs.Case c : args.latencyCases()) {
            List<Double> rates = args.rates();
            if (rates.isEmpty()) { // a lighter load too: on 2 shared cores the producer and reader cost as much as the job
                double max = results.stream().filter(r -> r.scenario().equals("throughput") && r.caseName().equals(c.toString())
                        && r.job().equals("softmax")).mapToDouble(Result::recordsPerSecond).max()
                        .orElseThrow(() -> new IllegalArgumentException("--rate 0 needs a softmax throughput run of " + c
                                + " (--cases, --jobs) to take half of; give rates instead"));
                rates = List.of(max / 2, max / 4);
            }
            byte[][] values = Producers.values(c.format(), c.k());
            for (double rate : rates) {
                latency(c, values, rate, false, args.aloCheckpoint());
            }
            for (Duration interval : args.intervals()) {
                latency(c, values, rates.get(0), true, interval);
            }
        }
    }

    /**
     * One throughput run: starts {@code job} on the pre-filled input, reads all {@code n} outputs
     * with {@code read_committed} from an output topic whose timestamps are the broker's append
     * times, and stops the job.
     *
     * @return the run's append rate, records/s
     */
    private double throughput(String job, BenchArgs.Case c, String input, long n, double recordBytes, boolean record)
            throws Exception {
        if (record) {
            settle();
        }
        String output = topic("out-" + job.replaceAll("[^A-Za-z0-9._-]", "-"), true);
        Running running = start(job, c, input, output);
        OutputTimer reader = OutputTimer.counting(bootstrap, output, n);
        reader.start();
        try {
            reader.await(RUN_TIMEOUT);
        } finally {
            running.stop().close();
            deleteTopics(running.flink() ? new String[] {output, output + "-dlq"} : new String[] {output});
        }
        // a window under a millisecond (a tiny smoke run) would divide by zero
        double append = Math.max(reader.appendSeconds(), 1e-3);
        if (!record) {
            return n / append;
        }
        double visible = Math.max(reader.visibleSeconds(), 1e-3);
        double millions = n / 1e6;
        Result r = new Result("throughput", c.format(), c.k(), job, running.delivery(), running.checkpointMs(),
                n, append, visible, n / append, n * recordBytes / 1e6 / append, reader.bytes() / 1e6 / append,
                n / visible, reader.jobCpuSeconds() / millions, brokerCpu(reader) / millions,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
        results.add(r);
        log("%-22s %-15s %,10.0f records/s appended %7.1f MB/s in, %,10.0f records/s visible (%.2f)  "
                        + "%6.1f CPU s/M (bench JVM)  %6.1f CPU s/M (broker)",
                job, c, r.recordsPerSecond(), r.inputMbPerSecond(), r.visibleRecordsPerSecond(), r.visibleRatio(),
                r.jobCpuPerMillion(), r.brokerCpuPerMillion());
        return r.recordsPerSecond();
    }

    /**
     * Before a measured run: this JVM's garbage collected, as JMH does between iterations, and the
     * machine quiet (the last run's job cancelled, its topics deleted, the broker idle), so the
     * run's CPU window holds its own work only.
     */
    private static void settle() throws InterruptedException {
        long start = System.nanoTime();
        System.gc();
        MACHINE.getCpuLoad(); // the next reading covers the time from here
        double load;
        do {
            Thread.sleep(SETTLE_WINDOW_MS);
            load = MACHINE.getCpuLoad();
        } while (load > QUIET_LOAD && System.nanoTime() - start < SETTLE_MAX.toNanos());
        double waited = (System.nanoTime() - start) / 1e9;
        if (load > QUIET_LOAD || waited > 2 * SETTLE_WINDOW_MS / 1e3) {
            log("settle: %.1f s, machine CPU %.0f%% at the end", waited, 100 * load);
        }
    }

    /**
     * What runs in a throughput run and how to stop it.
     *
     * @param flink whether it is a Flink job (which has a dead-letter topic)
     * @param checkpointMs the checkpoint interval, or the commit interval of Kafka Streams and copy
     */
    private record Running(AutoCloseable stop, boolean flink, String delivery, long checkpointMs) {}

    private Running start(String job, BenchArgs.Case c, String input, String output) throws Exception {
        String name = "bench-" + runs + "-" + job.replaceAll("[^A-Za-z0-9._-]", "-");
        switch (job) {
            case "kstreams-alo", "kstreams-eos" -> {
                boolean eos = job.equals("kstreams-eos");
                // Streams' commit.interval.ms defaults: 30 s at-least-once, 100 ms exactly-once
                return new Running(StreamsReference.start(bootstrap, name, input, output, c.format(), eos,
                        args.parallelism(), work.resolve("kstreams")), false,
                        eos ? "exactly-once" : "at-least-once", eos ? 100 : 30_000);
            }
            case "copy" -> {
                return new Running(CopyReference.start(bootstrap, name, input, output, args.parallelism()), false,
                        "at-least-once", 1000);
            }
            default -> {
                Map<String, String> options = new HashMap<>();
                // exactly-once at the job's default checkpoint interval, as a user runs it
                options.put("delivery.guarantee", "exactly-once");
                if (job.startsWith("softmax[")) {
                    options.putAll(args.variants().get(job.substring("softmax[".length(), job.length() - 1)));
                }
                JobConfig config = config(name, job, c, input, output, options);
                JobClient client = submit(name, job, config);
                boolean eo = config.get(SoftmaxOptions.DELIVERY_GUARANTEE) == SoftmaxOptions.Delivery.EXACTLY_ONCE;
                return new Running(() -> BenchCluster.cancel(client, Duration.ofMinutes(1)), true,
                        eo ? "exactly-once" : "at-least-once", config.get(SoftmaxOptions.CHECKPOINT_INTERVAL).toMillis());
            }
        }
    }

    /**
     * One latency run: a paced load at {@code rate} for a warm-up (at least {@code --latency-warmup},
     * and until the job has caught up unless {@code --catch-up-lag} is 0), then a measured window of
     * {@code --latency-seconds}; percentiles cover the records appended to the input in the window,
     * the samples file every record, warm-up included. The input topic has the broker's append
     * times, which the job copies to its output, so a latency is from the input's append until the
     * output is readable with {@code read_committed}.
     */
    private void latency(BenchArgs.Case c, byte[][] values, double rate, boolean exactlyOnce, Duration interval)
            throws Exception {
        String input = topic("lat-in-" + c.format() + "-" + c.k(), true);
        String output = topic("lat-out", false);
        String name = "bench-" + runs + "-latency";
        JobConfig config = config(name, "softmax", c, input, output, Map.of(
                "delivery.guarantee", exactlyOnce ? "exactly-once" : "at-least-once",
                "checkpoint.interval", interval.toMillis() + "ms"));
        JobClient client = submit(name, "softmax", config);
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
            reader.writeSamples(args.out().resolve(String.format(Locale.ROOT, "samples-%s-%d-%s-%dms-%.0f.csv",
                    c.format(), c.k(), exactlyOnce ? "eo" : "alo", interval.toMillis(), rate)));
            double warmup = (fromMs - startMs) / 1000.0;
            Result r = new Result(exactlyOnce ? "latency-eo" : "latency-alo", c.format(), c.k(), "softmax",
                    exactlyOnce ? "exactly-once" : "at-least-once", interval.toMillis(), sorted.length,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, rate,
                    percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999), warmup, caughtUp);
            results.add(r);
            String start = lag == 0 ? "fixed warm-up" : caughtUp ? "caught up" : "NOT caught up";
            log("latency %-13s %-15s checkpoint %5d ms, %,.0f records/s offered, window from %.1f s (%s): "
                            + "p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms",
                    r.delivery(), c, interval.toMillis(), rate, warmup, start, r.p50Ms(), r.p99Ms(), r.p999Ms());
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

    /** The job's configuration for a run: the bench's settings, then --job-options, then {@code options}. */
    private JobConfig config(String name, String job, BenchArgs.Case c, String input, String output,
            Map<String, String> options) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("job.name", name); // also the transactional id prefix and group id: unique per run
        raw.put("input.topic", input);
        raw.put("output.topic", output);
        raw.put("dead-letter.topic", output + "-dlq");
        raw.put("input.starting-offsets", "earliest");
        raw.put("format", c.format());
        raw.put("parallelism", Integer.toString(args.parallelism()));
        raw.put("softmax.kernel", job.equals("softmax-scalar") ? "scalar" : "auto");
        raw.put("kafka.bootstrap.servers", bootstrap);
        if (c.format().equals("float32le")) {
            raw.put("float32le.classes", Integer.toString(c.k()));
        }
        raw.putAll(args.jobOptions()); // experiments, e.g. kafka.sink.linger.ms=0
        raw.putAll(options);
        return JobConfig.of(raw);
    }

    private JobClient submit(String name, String job, JobConfig config) throws Exception {
        createTopics(config.deadLetterTopic());
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

    /**
     * Creates a run's topic, named uniquely; with {@code appendTime} its records carry the broker's
     * append time ({@code message.timestamp.type=LogAppendTime}) whatever the writer set.
     */
    private String topic(String base, boolean appendTime) throws Exception {
        String name = base + "-" + (++runs);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            NewTopic topic = new NewTopic(name, Optional.of(args.parallelism()), Optional.empty());
            if (appendTime) {
                topic.configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
            }
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
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
