package io.github.flinksoftmax.local;

import io.github.flinksoftmax.config.ConfigException;
import io.github.flinksoftmax.config.ConfigLoader;
import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.job.DeadLetters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.LoggerFactory;

/**
 * The whole product on one machine, in one command: a Kafka broker of its own (or the cluster
 * named by {@code --bootstrap-servers}), the job's topics, a Flink cluster with its web UI
 * running the job, a sample producer, and a console that shows the results as they come out.
 * Every part is stopped, and its files deleted, when the run ends: after {@code --records N},
 * on Ctrl-C or SIGTERM, or on a failure. See {@link LocalRunArgs#USAGE} for the flags.
 *
 * <p>Needs the test classpath (broker, web UI): start it through Maven as the README shows.
 */
public final class LocalRun {

    static final String LOG_DIR_PROPERTY = "flinksoftmax.log.dir";
    static final String LOG_NAME_PROPERTY = "flinksoftmax.log.name";
    static final String LOG_APPEND_PROPERTY = "flinksoftmax.log.append";
    private static final Path LOG_CONFIG = Path.of("conf", "log4j2-local.xml");

    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration JOB_START_TIMEOUT = Duration.ofSeconds(120);
    private static final long SAMPLE_INTERVAL_NANOS = 4_000_000_000L;
    private static final int SAMPLES = 3;

    private final LocalRunArgs args;
    private final PrintStream out;
    private final Object lifecycle = new Object();
    private volatile boolean closing;
    private boolean closed;
    private Path runDir;
    private LocalKafka kafka;
    private LocalFlink flink;
    private OutputWatcher watcher;
    private SampleProducer producer;
    private JobID job;

    private LocalRun(LocalRunArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    public static void main(String[] argv) {
        configureLogging();
        LocalRunArgs args;
        JobConfig config;
        try {
            args = LocalRunArgs.parse(argv);
            config = JobConfig.of(rawConfig(args));
        } catch (ConfigException e) {
            System.err.println("flink-softmax local run: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalRun run = new LocalRun(args, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(run::close, "local-run-shutdown"));
        int code = run.run(config);
        run.close();
        // after Ctrl-C this blocks until the shutdown hook is done, and the JVM ends with the signal's code
        System.exit(code);
    }

    /** Sends this run's logs (and the broker's) to files, so the console holds only the status. */
    private static void configureLogging() {
        if (System.getProperty("log4j2.configurationFile") == null && Files.isRegularFile(LOG_CONFIG)) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG.toAbsolutePath().toString());
        }
        System.setProperty(LOG_DIR_PROPERTY, System.getProperty(LOG_DIR_PROPERTY, "target"));
        // Log4j's own status messages (such as a Flink log call with one argument too many) go to the console
        System.setProperty("log4j2.statusLoggerLevel", System.getProperty("log4j2.statusLoggerLevel", "ERROR"));
    }

    /**
     * The job's options from {@code --job}/{@code --set}, pointed at the right Kafka: the one
     * named on the command line, else the local broker this run starts.
     */
    static Map<String, Object> rawConfig(LocalRunArgs args) {
        Map<String, Object> raw = ConfigLoader.rawFromArgs(args.jobArgs().toArray(new String[0]));
        String servers = args.bootstrapServers() != null ? args.bootstrapServers()
                : setExplicitly(args) ? null : "localhost:" + args.kafkaPort();
        if (servers != null) {
            raw.put(SoftmaxOptions.KAFKA_PREFIX + "bootstrap.servers", servers);
        }
        return raw;
    }

    /** Whether the user named a cluster with {@code --set kafka.bootstrap.servers=...}. */
    private static boolean setExplicitly(LocalRunArgs args) {
        return args.jobArgs().stream().anyMatch(a -> a.startsWith(SoftmaxOptions.KAFKA_PREFIX + "bootstrap.servers="));
    }

    private boolean startsBroker() {
        return args.bootstrapServers() == null && !setExplicitly(args);
    }

    /** Runs until {@code --records} is reached, a part fails or the JVM is asked to stop; the exit code. */
    private int run(JobConfig config) {
        long started = System.nanoTime();
        try {
            start(config);
            return watch(config, started);
        } catch (Exception e) {
            if (closing) {
                return 0; // Ctrl-C while starting: the shutdown hook cleans up
            }
            out.println();
            out.println("flink-softmax local run failed: " + e.getMessage());
            log().error("Local run failed", e);
            return 1;
        }
    }

    private void start(JobConfig config) throws Exception {
        String in = config.get(SoftmaxOptions.INPUT_TOPIC);
        String outTopic = config.get(SoftmaxOptions.OUTPUT_TOPIC);
        String dlq = config.deadLetterTopic();
        String servers = config.kafkaSourceProperties().getProperty("bootstrap.servers");
        Path logDir = Path.of(System.getProperty(LOG_DIR_PROPERTY));
        Files.createDirectories(logDir);
        step(() -> runDir = Files.createTempDirectory("flink-softmax-local-"));
        out.printf("flink-softmax local run: job %s, format %s%s%n", config.get(SoftmaxOptions.JOB_NAME),
                config.get(SoftmaxOptions.FORMAT), config.outputFormat() == config.get(SoftmaxOptions.FORMAT) ? ""
                        : ", output format " + config.outputFormat());
        out.printf("  temp dir  %s (deleted on exit); logs in %s%n", runDir, logDir);
        if (startsBroker()) {
            long t = System.nanoTime();
            step(() -> kafka = new LocalKafka(args.kafkaPort(), runDir.resolve("kafka"), logDir.resolve("local-kafka.log")));
            kafka.start(BROKER_TIMEOUT); // outside the lock: Ctrl-C meanwhile kills the starting broker at once
            out.printf("  kafka     %s, KRaft broker pid %d, ready in %.1f s%n", servers, kafka.pid(), seconds(t));
        } else {
            out.printf("  kafka     %s (existing cluster, no local broker)%n", servers);
        }
        KafkaClients clients = new KafkaClients(config);
        int slots = slots(config);
        int created = clients.createMissing(List.of(in, outTopic, dlq), slots);
        out.printf("  topics    %s -> %s, dead letters -> %s (%d created)%n", in, outTopic, dlq, created);
        step(() -> watcher = new OutputWatcher(clients.committedReader(), outTopic, dlq));
        long t = System.nanoTime();
        step(() -> flink = LocalFlink.start(args.webPort(), slots, runDir.resolve("flink")));
        job = flink.submit(config, slots, JOB_START_TIMEOUT);
        out.printf("  flink     web UI http://localhost:%d, job %s running, parallelism %d, ready in %.1f s%n",
                args.webPort(), job, slots, seconds(t));
        watcher.start();
        if (args.rate() > 0) {
            SampleRecords samples = SampleRecords.forJob(config);
            step(() -> producer = new SampleProducer(clients.producer(), in, samples, args.rate(), args.records()));
            producer.start();
            out.printf("  producer  %d records/s into %s: %s%n", args.rate(), in, samples.describe());
        } else {
            out.printf("  producer  off (--rate 0); write records to %s yourself, see the README%n", in);
        }
        out.println(args.records() > 0 ? "Stops after " + args.records() + " records (output + dead letters); Ctrl-C stops earlier."
                : "Ctrl-C stops everything.");
    }

    private static int slots(JobConfig config) {
        int parallelism = config.get(SoftmaxOptions.PARALLELISM);
        return parallelism > 0 ? parallelism : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    private int watch(JobConfig config, long started) throws Exception {
        ConsoleView view = new ConsoleView(out, ConsoleView.stdoutIsTerminal());
        ResultDecoder decoder = new ResultDecoder(config.outputReader(), config.labels(), 5);
        FlinkRest rest = flink.rest();
        String kernel = null;
        long lastKernelAsk = 0;
        long lastSamples = System.nanoTime() - SAMPLE_INTERVAL_NANOS;
        while (!closing) {
            long now = System.nanoTime();
            if (kernel == null && now - lastKernelAsk > 2_000_000_000L) {
                lastKernelAsk = now;
                kernel = rest.kernel(job).orElse(null);
            }
            ConsoleView.Status status = new ConsoleView.Status(producer == null ? 0 : producer.produced(),
                    watcher.outputs(), watcher.deadLetters(), kernel, seconds(started));
            if (now - lastSamples >= SAMPLE_INTERVAL_NANOS && status.out() + status.deadLettered() > 0) {
                lastSamples = now;
                showSamples(view, decoder);
            }
            if (args.records() > 0 && status.out() + status.deadLettered() >= args.records()) {
                showSamples(view, decoder);
                view.finalStatus(status);
                out.printf("Done: %,d records out, %,d dead-lettered; stopping.%n", status.out(), status.deadLettered());
                return 0;
            }
            view.status(status);
            String problem = problem();
            if (problem != null) {
                view.finalStatus(status);
                out.println("Stopping: " + problem);
                return 1;
            }
            Thread.sleep(250);
        }
        return 0;
    }

    private String problem() throws Exception {
        JobStatus status = flink.status();
        if (status.isGloballyTerminalState()) {
            return "the job ended: " + status + " (see the log)";
        }
        if (producer != null && producer.failure() != null) {
            return "the sample producer failed: " + producer.failure();
        }
        if (watcher.failure() != null) {
            return "reading the output failed: " + watcher.failure();
        }
        return null;
    }

    private void showSamples(ConsoleView view, ResultDecoder decoder) {
        for (ConsumerRecord<byte[], byte[]> r : watcher.takeOutputs(SAMPLES)) {
            view.result(decoder.decode(r.key(), r.value(), name -> {
                var h = r.headers().lastHeader(name);
                return h == null ? null : h.value();
            }));
        }
        for (ConsumerRecord<byte[], byte[]> r : watcher.takeDeadLetters(1)) {
            view.deadLetter(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    header(r, DeadLetters.REASON), header(r, DeadLetters.EXCEPTION_MESSAGE));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs one start-up step under the lifecycle lock, unless the run is stopping: a resource is
     * either started before {@link #close()} looks for it, or not started at all.
     */
    private void step(Step step) throws Exception {
        synchronized (lifecycle) {
            if (closing) {
                throw new IllegalStateException("stopping");
            }
            step.run();
        }
    }

    /**
     * Stops everything this run started, newest first, and deletes its temporary directory. Safe
     * to call twice and from the shutdown hook while the main thread is still starting things.
     */
    private void close() {
        closing = true;
        LocalKafka starting = kafka;
        if (starting != null) {
            starting.abortStart(); // a broker still starting would hold up the lock for its whole timeout
        }
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            out.println();
            out.println("Stopping: producer, Flink job and cluster" + (kafka != null ? ", Kafka broker" : "") + ", temp files...");
            quietly("sample producer", producer);
            quietly("output reader", watcher);
            quietly("Flink", flink);
            quietly("Kafka broker", kafka);
            if (runDir != null) {
                deleteRecursively(runDir);
            }
            out.println("Stopped" + (kafka != null ? ": broker pid " + kafka.pid() + " ended" : "")
                    + (runDir != null ? ", " + runDir + " deleted" : "") + ".");
            out.flush();
        }
    }

    private void quietly(String what, AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            out.println("  could not stop the " + what + " cleanly: " + e);
            log().warn("Stopping the {} failed", what, e);
        }
    }

    private void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            out.println("  could not delete " + dir + ": " + e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Looked up late, after {@link #configureLogging()} chose the configuration. */
    private static org.slf4j.Logger log() {
        return LoggerFactory.getLogger(LocalRun.class);
    }
}
