package io.github.flinksoftmax.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.flinksoftmax.config.ConfigLoader;

/**
 * A real Flink session cluster of separate processes on loopback, started the way flink-dist's
 * scripts start one but without flink-dist (it is not on Maven Central): a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}) on a
 * classpath of Flink's own jars only, with the JVM memory flags {@code BashJavaUtils} computes, the
 * project's {@code conf/config.yaml} with ports and directories made local, and jobs submitted
 * with the {@code flink} CLI ({@code CliFrontend}). The job jar therefore meets exactly what a
 * stock cluster offers it.
 */
final class FlinkProcessCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    private final Path dir;
    private final Path confDir;
    private final String classpath;
    private final int restPort;
    private final Map<String, Object> conf;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process jobManager;
    /** By resource id, which the REST API reports for each task's TaskManager. */
    private final Map<String, Process> taskManagers = new LinkedHashMap<>();
    private int taskManagerCount;
    /** Every JVM this cluster started (killed ones too), so close() and the tests can account for all of them. */
    private final List<ProcessHandle> started = new ArrayList<>();

    /**
     * @param classpath Flink's own jars (what flink-dist's lib/ holds), no connector, no job code
     */
    FlinkProcessCluster(Path dir, String classpath, int rpcPort, int restPort, Map<String, String> overrides)
            throws IOException {
        this.dir = dir;
        this.confDir = dir.resolve("conf");
        this.classpath = classpath;
        this.restPort = restPort;
        Files.createDirectories(confDir);
        Map<String, Object> conf = new LinkedHashMap<>(ConfigLoader.readYaml(Path.of("conf/config.yaml")));
        this.conf = conf;
        conf.put("jobmanager.rpc.address", "localhost");
        conf.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        conf.put("jobmanager.bind-host", "localhost");
        conf.put("taskmanager.bind-host", "localhost");
        conf.put("taskmanager.host", "localhost");
        conf.put("rest.address", "localhost");
        conf.put("rest.bind-address", "localhost");
        conf.put("rest.port", Integer.toString(restPort));
        conf.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        conf.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
        conf.putAll(overrides);
        new ObjectMapper(new YAMLFactory()).writeValue(confDir.resolve("config.yaml").toFile(), conf);
        Files.copy(Path.of("src/test/resources/log4j2-test.xml"), confDir.resolve("log4j2.xml"));
    }

    int restPort() {
        return restPort;
    }

    /** The cluster's configuration directory, as FLINK_CONF_DIR for Flink's tools. */
    Path confDir() {
        return confDir;
    }

    /**
     * The JVM options flink-dist's scripts build from config.yaml for a role ({@code jobmanager},
     * {@code taskmanager} or {@code client}): {@code env.java.default-opts.all},
     * {@code env.java.opts.all}, then the role's own {@code env.java.opts.<role>}. Nothing else:
     * a flag the cluster needs must be in the project's conf/config.yaml, as on a real cluster.
     */
    List<String> scriptJvmOptions(String role) {
        List<String> options = new ArrayList<>();
        for (String key : List.of("env.java.default-opts.all", "env.java.opts.all", "env.java.opts." + role)) {
            Object value = conf.get(key);
            if (value != null && !value.toString().isBlank()) {
                options.addAll(Arrays.asList(value.toString().trim().split("\\s+")));
            }
        }
        return options;
    }

    void start(int taskManagers) throws Exception {
        jobManager = launch("jobmanager", "GET_JM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        for (int i = 0; i < taskManagers; i++) {
            startTaskManager();
        }
        awaitTaskManagers(taskManagers, Duration.ofSeconds(90));
    }

    /** Starts one more TaskManager process (a replacement after a kill, say). */
    Process startTaskManager() throws Exception {
        String id = "taskmanager-" + taskManagerCount++;
        Process tm = launch(id, "GET_TM_RESOURCE_PARAMS", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                "-D", "taskmanager.resource-id=" + id);
        taskManagers.put(id, tm);
        return tm;
    }

    /** SIGKILL, as a crashed machine or an OOM killer would end it: no shutdown hook runs. */
    void killTaskManager(Process tm) throws InterruptedException {
        tm.destroyForcibly();
        tm.waitFor(30, TimeUnit.SECONDS);
        taskManagers.values().remove(tm);
    }

    /** Whether this cluster started a TaskManager with this resource id and has not killed it. */
    boolean isLive(String resourceId) {
        Process p = taskManagers.get(resourceId);
        return p != null && p.isAlive();
    }

    /** The TaskManager process with this resource id. */
    Process taskManager(String resourceId) {
        Process p = taskManagers.get(resourceId);
        if (p == null) {
            throw new IllegalArgumentException("no live TaskManager " + resourceId + "; live: " + taskManagers.keySet());
        }
        return p;
    }

    private Process launch(String name, String resourceCommand, String mainClass, String... extraArgs) throws Exception {
        String role = name.startsWith("jobmanager") ? "jobmanager" : "taskmanager";
        List<String> memory = javaLines(List.of("org.apache.flink.runtime.util.bash.BashJavaUtils",
                resourceCommand, "--configDir", confDir.toString()));
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.addAll(Arrays.asList(memory.get(0).trim().split("\\s+")));
        cmd.addAll(scriptJvmOptions(role));
        cmd.add("-Dlog4j2.configurationFile=" + confDir.resolve("log4j2.xml"));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(confDir.toString());
        // the dynamic properties BashJavaUtils derived (memory sizes), as "-D key=value" pairs
        cmd.addAll(Arrays.asList(memory.get(1).trim().split("\\s+")));
        cmd.addAll(Arrays.asList(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("FLINK_CONF_DIR", confDir.toString());
        return track(pb.start());
    }

    private Process track(Process p) {
        synchronized (started) {
            started.add(p.toHandle());
        }
        return p;
    }

    /** Runs a Java helper of flink-dist's scripts and returns the lines it marks as results. */
    private List<String> javaLines(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", classpath));
        cmd.addAll(args);
        Process p = track(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        List<String> results = out.lines().filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length())).toList();
        if (results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + args + " printed no results:\n" + out);
        }
        return results;
    }

    /** {@code flink <args>} against this cluster; returns its output, failing on a non-zero exit. */
    String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(scriptJvmOptions("client"));
        cmd.addAll(List.of("-cp", classpath, "org.apache.flink.client.cli.CliFrontend"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("FLINK_CONF_DIR", confDir.toString());
        Process p = track(pb.start());
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("flink " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    /** {@code flink run -d [cliOptions] jar programArgs}; returns the job id. */
    String submit(List<String> cliOptions, Path jar, String... programArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d"));
        args.addAll(cliOptions);
        args.add(jar.toString());
        args.addAll(Arrays.asList(programArgs));
        String out = cli(args.toArray(new String[0]));
        Matcher m = JOB_ID.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no job id in:\n" + out);
        }
        return m.group(1);
    }

    /** {@code flink stop --savepointPath}: a final savepoint, then the job stops; returns its path. */
    String stopWithSavepoint(String jobId) throws Exception {
        String out = cli("stop", "--savepointPath", dir.resolve("savepoints").toUri().toString(), jobId);
        Matcher m = SAVEPOINT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no savepoint path in:\n" + out);
        }
        return m.group(1);
    }

    void cancel(String jobId) throws Exception {
        cli("cancel", jobId);
    }

    JsonNode rest(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    String jobState(String jobId) throws Exception {
        return rest("/jobs/" + jobId).path("state").asText();
    }

    /** Checkpoints of the job in progress right now, as the REST API reports them. */
    int checkpointsInProgress(String jobId) throws Exception {
        return rest("/jobs/" + jobId + "/checkpoints").path("counts").path("in_progress").asInt();
    }

    int completedCheckpoints(String jobId) throws Exception {
        return rest("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asInt();
    }

    /** All tasks of the job RUNNING (not only the job), so it really processes records. */
    void awaitRunning(String jobId, Duration timeout) throws Exception {
        await("job " + jobId + " running", timeout, () -> {
            JsonNode job = rest("/jobs/" + jobId);
            if (!job.path("state").asText().equals("RUNNING")) {
                return false;
            }
            for (JsonNode v : job.path("vertices")) {
                if (!v.path("status").asText().equals("RUNNING")) {
                    return false;
                }
            }
            return true;
        });
    }

    void awaitTaskManagers(int n, Duration timeout) throws Exception {
        await(n + " task managers", timeout, () -> rest("/overview").path("taskmanagers").asInt() >= n);
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                last = e; // REST not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }

    Path dir() {
        return dir;
    }

    /** Every process this cluster started, live or not: the JVMs and the CLI and helper runs. */
    List<ProcessHandle> startedProcesses() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }

    /**
     * Ends every process this cluster started and their descendants, and returns only when all
     * are gone. SIGTERM first, so the JVMs run their shutdown hooks (the TaskManager releases its
     * slots, the JobManager its ports), then SIGKILL for any still alive after the grace period.
     * Descendants are collected before the parents go, since an orphan is no longer listed as one.
     */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle p : startedProcesses()) {
            p.descendants().forEach(all::add);
            all.add(p);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle p : all) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                p.destroyForcibly();
            }
        }
        for (ProcessHandle p : all) {
            // SIGKILL cannot be ignored; this wait only covers the kernel reaping the process
            p.onExit().get(30, TimeUnit.SECONDS);
        }
        taskManagers.clear();
        jobManager = null;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
