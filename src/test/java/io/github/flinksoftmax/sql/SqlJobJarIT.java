package io.github.flinksoftmax.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.github.flinksoftmax.testing.MiniClusters;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.resource.ResourceManager;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The functions as docs/sql.md registers them, from the packaged job jar: {@code ADD JAR} and
 * {@code CREATE FUNCTION ... USING JAR}, then a batch query on a MiniCluster. Runs after
 * {@code package} (failsafe), as {@code JobJarIT} does, because it needs the jar. The test JVM also
 * has the project's classes on its class path, so the test checks that the function class Flink
 * resolved came from the jar (Flink's user class loader is child-first for non-Flink classes).
 */
class SqlJobJarIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(1);

    private static final String SOFTMAX = "io.github.flinksoftmax.sql.SoftmaxSqlFunction";

    @Test
    void createFunctionUsingTheJobJarAndQuery() throws Exception {
        Path jar = Path.of(System.getProperty("job.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged job jar").isRegularFile();
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.executeSql("CREATE FUNCTION softmax AS '" + SOFTMAX + "' USING JAR '" + jar.toUri() + "'");
        env.executeSql("CREATE FUNCTION argmax AS 'io.github.flinksoftmax.sql.ArgmaxSqlFunction' "
                + "USING JAR '" + jar.toUri() + "'");

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.sqlQuery("SELECT SOFTMAX(z), ARGMAX(z) FROM (VALUES "
                + "(CAST(ARRAY[0.0, LN(3.0)] AS ARRAY<FLOAT>))) AS v(z)").execute().collect()) {
            it.forEachRemaining(rows::add);
        }
        assertThat(rows).hasSize(1);
        // collect hands arrays back boxed, whatever class the function returned
        Object[] p = (Object[]) rows.get(0).getField(0);
        assertThat((Float) p[0]).isCloseTo(0.25f, offset(1e-6f));
        assertThat((Float) p[1]).isCloseTo(0.75f, offset(1e-6f));
        assertThat(rows.get(0).getField(1)).isEqualTo(1);

        assertThat(Path.of(userClassLoader(env).loadClass(SOFTMAX).getProtectionDomain().getCodeSource().getLocation().toURI()))
                .as("where the function class was loaded from").isEqualTo(jar);
    }

    /** The session's class loader, which USING JAR extends; Flink keeps it in a protected field. */
    private static ClassLoader userClassLoader(TableEnvironment env) throws ReflectiveOperationException {
        Field field = TableEnvironmentImpl.class.getDeclaredField("resourceManager");
        field.setAccessible(true);
        return ((ResourceManager) field.get(env)).getUserClassLoader();
    }
}
