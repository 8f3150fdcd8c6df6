package io.github.flinksoftmax.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control for {@link JvmExitGuard}: it is active in this JVM (installed by the launcher
 * session, not by this test), and a request to end the JVM leaves a record naming the caller.
 */
class JvmExitGuardTest {

    @TempDir
    Path records;

    @BeforeEach
    void recordHere() {
        JvmExitGuard.recordDir = records;
    }

    @AfterEach
    void recordWhereCiLooks() {
        JvmExitGuard.recordDir = JvmExitGuard.RECORD_DIR;
    }

    @Test
    void kafkaHaltIsRefusedAndRecordedWithItsCaller() throws Exception {
        assertThatThrownBy(() -> Exit.halt(3, "control"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka Exit.halt(3)");
        assertThat(recorded()).contains("Kafka Exit.halt(3), refused: control")
                .contains("kafkaHaltIsRefusedAndRecordedWithItsCaller");
    }

    @Test
    void kafkaExitIsRefusedToo() throws Exception {
        assertThatThrownBy(() -> Exit.exit(1)).isInstanceOf(IllegalStateException.class);
        assertThat(recorded()).contains("Kafka Exit.exit(1)");
    }

    /** Runtime.halt and System.exit ask the security manager's checkExit first; a status of 0 passes unrecorded. */
    @Test
    @EnabledForJreRange(max = JRE.JAVA_23) // JDK 24 cannot install a security manager
    @SuppressWarnings("removal")
    void anExitOrHaltWithNonZeroStatusIsRecorded() throws Exception {
        SecurityManager manager = System.getSecurityManager();
        assertThat(manager).isInstanceOf(JvmExitGuard.Recorder.class);
        manager.checkExit(0);
        assertThat(records).isEmptyDirectory();
        manager.checkExit(239);
        assertThat(recorded()).contains("exit or halt with status 239");
    }

    private String recorded() throws Exception {
        return Files.readString(records.resolve(ProcessHandle.current().pid() + ".log"), StandardCharsets.UTF_8);
    }
}
