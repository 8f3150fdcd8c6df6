package io.github.flinksoftmax.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.Permission;
import java.time.Instant;
import java.util.concurrent.ForkJoinPool;

import org.apache.kafka.common.utils.Exit;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Records every request to end the test JVM with a non-zero status, with the requesting thread's
 * stack. A test fork that had passed every test ended non-zero after saying goodbye to Surefire,
 * and nothing showed who ended it. In this JVM that can be the in-JVM Kafka broker
 * ({@link Exit#halt}), Flink's {@code FatalExitExceptionHandler} (through
 * {@code FlinkSecurityManager.forceProcessExit}, which first removes any security manager, then
 * exits with -17), Pekko's exit on fatal errors, or Surefire's own {@code halt(1)} when it loses
 * its Maven process.
 *
 * <p>Each request goes to standard error and to {@code target/jvm-exit-requests/<pid>.log}, which
 * {@code .ci/run} prints. Kafka's requests are refused: its {@link Exit} procedures throw, so the
 * broker thread that asked unwinds and the test that depends on it fails, rather than the broker
 * going on in a state nobody chose. The others are only recorded, by a security manager that allows
 * everything: refusing them would keep alive a fork that Surefire means to end. JDK 24 and later
 * cannot install a security manager, so there only Kafka's requests are recorded.
 *
 * <p>Registered through {@code META-INF/services}, so it is active from the launcher session's
 * start, before any test class loads.
 */
public final class JvmExitGuard implements LauncherSessionListener {

    /** Where requests are recorded, one file per JVM; {@code .ci/run} prints them. */
    static final Path RECORD_DIR = Path.of("target", "jvm-exit-requests");

    /** {@link #RECORD_DIR}, or a test's own folder while the guard's control test runs. */
    static volatile Path recordDir = RECORD_DIR;

    private static boolean installed;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    /** Installs the guard once per JVM. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Exit.setExitProcedure((status, message) -> {
            throw record("Kafka Exit.exit(" + status + "), refused: " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw record("Kafka Exit.halt(" + status + "), refused: " + message);
        });
        if (Runtime.version().feature() < 24) {
            installSecurityManager();
        }
    }

    @SuppressWarnings("removal") // the only hook the JDK offers into Runtime.halt, until JDK 24 removed it
    private static void installSecurityManager() {
        // With a security manager present, a common pool created afterwards runs tasks on
        // innocuous threads without a context class loader; create it the ordinary way first.
        ForkJoinPool.commonPool();
        try {
            System.setSecurityManager(new Recorder());
        } catch (UnsupportedOperationException e) {
            // JDK 18-23 without -Djava.security.manager=allow (the pom passes it there)
            System.err.println("JvmExitGuard: no security manager (" + e.getMessage()
                    + "); only Kafka's exit requests are recorded");
        }
    }

    /** Records the request; returns an exception carrying it, for a caller that refuses. */
    static IllegalStateException record(String what) {
        IllegalStateException request = new IllegalStateException("request to end the test JVM: " + what);
        StringWriter stack = new StringWriter();
        request.printStackTrace(new PrintWriter(stack));
        String entry = Instant.now() + " thread '" + Thread.currentThread().getName() + "': " + stack;
        System.err.print("JvmExitGuard: " + entry);
        try {
            Path dir = recordDir;
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(ProcessHandle.current().pid() + ".log"), entry,
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("JvmExitGuard: could not record the request: " + e);
        }
        return request;
    }

    @SuppressWarnings("removal")
    static final class Recorder extends SecurityManager {

        private static final Permission REPLACE = new RuntimePermission("setSecurityManager");

        @Override
        public void checkPermission(Permission perm) {
            if (REPLACE.equals(perm)) {
                // FlinkSecurityManager.forceProcessExit removes us first, then exits with -17
                record("the security manager replaced (Flink does this right before it exits)");
            }
        }

        @Override
        public void checkPermission(Permission perm, Object context) {
            checkPermission(perm);
        }

        @Override
        public void checkExit(int status) {
            if (status != 0) {
                record("exit or halt with status " + status);
            }
        }
    }
}
