package io.github.flinksoftmax.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link LocalRun} as a user runs it: its own {@code java} process, on this test JVM's classpath
 * and module flags, with its own temporary directory, so a test can check what it printed and
 * what it left behind. Records every descendant process it sees while running, to check later
 * that none outlived it.
 */
final class LocalRunProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Map<Long, ProcessHandle> descendants = new ConcurrentHashMap<>();
    private final Thread reader;
    private final Thread descendantWatcher;

    private LocalRunProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "local-run-output");
        this.reader.setDaemon(true);
        this.reader.start();
        this.descendantWatcher = new Thread(this::watchDescendants, "local-run-descendants");
        this.descendantWatcher.setDaemon(true);
        this.descendantWatcher.start();
    }

    /** Starts {@code LocalRun args} with {@code tmpDir} as its {@code java.io.tmpdir}. */
    static LocalRunProcess start(Path tmpDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        // the same --add-modules/--add-opens the test JVM got from the pom, so they are listed once
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-")) {
                command.add(arg);
            }
        }
        command.add("-Djava.io.tmpdir=" + tmpDir);
        command.add("-D" + LocalRun.LOG_DIR_PROPERTY + "=" + Path.of("target", "local-run-it").toAbsolutePath());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LocalRun.class.getName());
        command.addAll(List.of(args));
        return new LocalRunProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** A loopback port nothing listens on now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                System.out.println("[local run] " + line);
            }
        } catch (IOException e) {
            lines.add("(reading the output failed: " + e + ")");
        }
    }

    private void watchDescendants() {
        while (process.isAlive()) {
            process.toHandle().descendants().forEach(h -> descendants.putIfAbsent(h.pid(), h));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits for an output line matching {@code regex}; its match, or an AssertionError with the output so far. */
    Matcher awaitLine(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                Matcher m = pattern.matcher(lines.get(seen));
                if (m.find()) {
                    return m;
                }
            }
            if (System.nanoTime() >= deadline || !process.isAlive() && !reader.isAlive() && seen >= lines.size()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("No output line matching /" + regex + "/ within " + timeout + "; output:\n" + output());
    }

    /** Waits for the process to end; its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("LocalRun did not exit within " + timeout + "; output:\n" + output());
        }
        reader.join(5000);
        descendantWatcher.join(1000);
        return process.exitValue();
    }

    /** Asks the process to stop as {@code kill} would (SIGTERM), still reading what it prints while it stops. */
    void terminate() {
        // not Process.destroy(): that also closes our end of its output, and the shutdown messages are lost
        process.toHandle().destroy();
    }

    List<String> lines() {
        return lines;
    }

    String output() {
        return String.join("\n", lines);
    }

    /** Every descendant process seen while it ran. */
    List<ProcessHandle> descendantsSeen() {
        return List.copyOf(descendants.values());
    }

    /** The live descendants right now. */
    List<ProcessHandle> descendantsNow() {
        return process.toHandle().descendants().toList();
    }

    @Override
    public void close() throws InterruptedException {
        // a failed test must not leave the run (or its broker) behind for the next one
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        }
    }
}
