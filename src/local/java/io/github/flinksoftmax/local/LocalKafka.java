package io.github.flinksoftmax.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker in KRaft combined mode (broker and controller in one process), run
 * as its own JVM from the classes on this JVM's classpath: {@code kafka.tools.StorageTool format},
 * then {@link BrokerMain}. Its own process, not in-process, so its threads and logs stay apart
 * from Flink's, and stopping it is a kill that nothing in this JVM can block. Data lives under
 * the directory it is given; {@link #close()} stops the process and waits for it to be gone.
 * By default its one client listener is PLAINTEXT; a {@link Security} replaces it with secured
 * listeners (tests of SASL_SSL, mutual TLS and ACLs).
 */
public final class LocalKafka implements AutoCloseable {

    /**
     * How a secured broker differs from the plaintext default.
     *
     * @param listeners client listener names to loopback ports, in order; each name must be
     *     mapped to its protocol by {@code listener.security.protocol.map} in {@code serverProperties}
     * @param serverProperties broker properties added to or replacing the defaults (the
     *     controller listener is named {@code CONTROLLER})
     * @param formatArguments extra {@code StorageTool format} arguments, such as {@code --add-scram}:
     *     SCRAM credentials must exist before the broker can authenticate anyone
     * @param adminProperties client properties (security protocol, credentials) the start-up
     *     check's admin client needs to get in
     */
    public record Security(Map<String, Integer> listeners, Map<String, String> serverProperties,
            List<String> formatArguments, Map<String, Object> adminProperties) {}

    /**
     * The heap and GC flags Kafka's own launcher gives a broker ({@code kafka-server-start.sh}'s
     * {@code KAFKA_HEAP_OPTS}, {@code kafka-run-class.sh}'s {@code KAFKA_JVM_PERFORMANCE_OPTS}), so
     * the broker behaves as a real one would: a fixed 1 GB heap and G1 aiming at 20 ms pauses,
     * which keeps its collections short next to the job's latency.
     */
    public static final List<String> BROKER_JVM_FLAGS = List.of("-Xmx1g", "-Xms1g", "-server",
            "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent", "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true");

    /**
     * Which {@code java} runs the broker and with which JVM flags (heap, GC); {@link #DEFAULT} is
     * this JVM's {@code java} with {@link #BROKER_JVM_FLAGS}. Experiments only (the latency
     * benchmark's {@code --broker-jvm-opts}, {@code --broker-java}): callers that do not pass one
     * get the default.
     *
     * @param javaHome the JDK or JRE whose {@code bin/java} runs the broker and the format tool;
     *     {@code null} for this JVM's
     * @param flags the broker's JVM flags, replacing {@link #BROKER_JVM_FLAGS} (flags such as a
     *     second garbage collector cannot be added to them, only swapped)
     */
    public record Jvm(Path javaHome, List<String> flags) {
        public static final Jvm DEFAULT = new Jvm(null, BROKER_JVM_FLAGS);

        public Jvm {
            flags = List.copyOf(flags);
        }
    }

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final Path dir;
    private final Path logFile;
    private final Security security;
    private final Jvm jvm;
    private volatile Process process;
    private boolean aborted;
    private boolean ready;

    /**
     * @param dir where the broker's configuration and data go; the caller deletes it
     * @param logFile where the broker's output goes, so the console stays for the status line
     */
    public LocalKafka(int port, Path dir, Path logFile) {
        this(port, dir, logFile, null);
    }

    /**
     * A broker with secured client listeners.
     *
     * @param port the listener clients bootstrap from, one of {@code security}'s listeners
     * @param security the listeners and settings that replace the PLAINTEXT listener, or {@code null}
     */
    public LocalKafka(int port, Path dir, Path logFile, Security security) {
        this(port, dir, logFile, security, Jvm.DEFAULT);
    }

    /**
     * A broker run by another {@code java} or with other JVM flags (GC experiments).
     *
     * @param security as in {@link #LocalKafka(int, Path, Path, Security)}, or {@code null}
     * @param jvm the broker's {@code java} and flags
     */
    public LocalKafka(int port, Path dir, Path logFile, Security security, Jvm jvm) {
        this.port = port;
        this.dir = dir;
        this.logFile = logFile;
        this.security = security;
        this.jvm = Objects.requireNonNull(jvm, "jvm");
    }

    /** Formats a fresh log directory, starts the broker and returns once an admin client sees it. */
    public void start(Duration timeout) throws IOException, InterruptedException {
        Ports.requireFree(port, "Kafka",
                "is another Kafka running? Use it with --bootstrap-servers localhost:" + port
                        + ", or start this one elsewhere with --kafka-port");
        int controllerPort = Ports.pickFree();
        Files.createDirectories(dir);
        Path properties = dir.resolve("server.properties");
        Map<String, String> settings = serverProperties(port, controllerPort, dir.resolve("data"));
        if (security != null) {
            secure(settings, controllerPort);
        }
        Files.writeString(properties, settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        format(properties);
        startBroker(timeout);
    }

    private void startBroker(Duration timeout) throws IOException, InterruptedException {
        List<String> command = java();
        command.addAll(1, jvm.flags());
        command.add(BrokerMain.class.getName());
        command.add(dir.resolve("server.properties").toString());
        launch(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())));
        awaitReady(timeout);
        synchronized (this) {
            ready = true;
        }
    }

    /**
     * Stops the broker in order (SIGTERM) and keeps its data, as an operator restarting a broker
     * would; {@link #restart} brings the same broker back. Used by the cluster test.
     */
    public void stop() {
        stopProcess();
        synchronized (this) {
            ready = false;
        }
    }

    /** Starts the stopped broker again on the same port and data, without formatting. */
    public void restart(Duration timeout) throws IOException, InterruptedException {
        startBroker(timeout);
    }

    /** Starts a child unless {@link #abortStart()} came first, so no child outlives an abort. */
    private synchronized Process launch(ProcessBuilder builder) throws IOException {
        if (aborted) {
            throw new IllegalStateException("stopping");
        }
        process = builder.start();
        return process;
    }

    /**
     * If the broker is still starting, kills it and keeps new children from starting, so
     * {@link #start} fails at once instead of waiting out its timeout (Ctrl-C during start-up).
     * A broker that is ready is left to {@link #close()}, which stops it in order.
     */
    synchronized void abortStart() {
        aborted = true;
        if (!ready && process != null) {
            process.destroyForcibly();
        }
    }

    private static Map<String, String> serverProperties(int port, int controllerPort, Path data) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", data.toString());
        // one broker: every internal topic must make do with one replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // few partitions for the internal topics: created on first use, 50 would cost seconds
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.num.partitions", "4");
        // a lone consumer group (the job's source) need not wait for others to join
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "2");
        // a dropped topic's files go after a second, not Kafka's minute: the benchmark drops gigabytes
        // per run, and in a /dev/shm work directory a minute of them ran the machine out of memory
        p.put("log.segment.delete.delay.ms", "1000");
        return p;
    }

    /** Replaces the PLAINTEXT client listener with the secured ones and adds their settings. */
    private void secure(Map<String, String> settings, int controllerPort) {
        String clients = security.listeners().entrySet().stream()
                .map(e -> e.getKey() + "://localhost:" + e.getValue())
                .collect(Collectors.joining(","));
        settings.put("listeners", clients + ",CONTROLLER://localhost:" + controllerPort);
        settings.put("advertised.listeners", clients);
        settings.putAll(security.serverProperties());
    }

    /**
     * The {@code java} command with this JVM's classpath and the flags every child needs; the
     * broker adds its {@link Jvm#flags()}, the short-lived format tool runs on the defaults.
     */
    private List<String> java() {
        List<String> command = new ArrayList<>();
        Path home = jvm.javaHome() != null ? jvm.javaHome() : Path.of(System.getProperty("java.home"));
        command.add(home.resolve("bin").resolve("java").toString());
        // the child's temporary files go where this JVM's go, so whoever cleans those cleans both
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        String log4j = System.getProperty("log4j2.configurationFile");
        if (log4j != null) {
            command.add("-Dlog4j2.configurationFile=" + log4j);
            command.add("-D" + LocalRun.LOG_DIR_PROPERTY + "=" + logFile.getParent());
            command.add("-D" + LocalRun.LOG_NAME_PROPERTY + "=" + stripExtension(logFile));
            // the broker's stdout goes to the same file; appending keeps both writers' lines
            command.add("-D" + LocalRun.LOG_APPEND_PROPERTY + "=true");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }

    private static String stripExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private void format(Path properties) throws IOException, InterruptedException {
        List<String> command = java();
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", properties.toString()));
        if (security != null) {
            command.addAll(security.formatArguments());
        }
        Process format = launch(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())));
        format.getOutputStream().close();
        if (!format.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            format.destroyForcibly().waitFor();
            throw new IllegalStateException("Formatting the Kafka log directory took over " + FORMAT_TIMEOUT.toSeconds()
                    + " s; see " + logFile);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("kafka.tools.StorageTool format exited with " + format.exitValue()
                    + "; see " + logFile + " (is kafka_2.13 on the classpath? run through Maven, see the README)");
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Ports.accepts(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The Kafka broker exited with " + process.exitValue() + " while starting; see " + logFile);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The Kafka broker did not listen on port " + port + " within "
                        + timeout.toSeconds() + " s; see " + logFile);
            }
            Thread.sleep(100);
        }
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        Map<String, Object> adminProperties = new HashMap<>();
        adminProperties.put("bootstrap.servers", bootstrapServers());
        if (security != null) {
            adminProperties.putAll(security.adminProperties());
        }
        try (Admin admin = Admin.create(adminProperties)) {
            // the port opens before the broker has registered with its controller; the cluster view waits for that
            admin.describeCluster().nodes().get(left, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("The Kafka broker on port " + port + " did not answer an admin client: " + e
                    + "; see " + logFile, e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The broker's process id, or -1 before it started. */
    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a grace period) and waits until it is gone. */
    @Override
    public void close() {
        synchronized (this) {
            aborted = true;
        }
        stopProcess();
    }

    private void stopProcess() {
        Process process;
        synchronized (this) {
            process = this.process;
        }
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly(); // no time left to wait: at least nothing outlives us
            Thread.currentThread().interrupt();
        }
    }
}
