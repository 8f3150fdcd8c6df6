package io.github.flinksoftmax.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.util.bash.BashJavaUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine runs where the tests run, so deploy/Dockerfile is checked by doing what its
 * config step does with the tools it uses: its {@code -D} arguments, split as Flink's
 * config-parser-utils.sh splits them, go to the same Java entry point that script runs
 * ({@link BashJavaUtils}, command {@code UPDATE_AND_GET_FLINK_CONFIGURATION}) over Flink's own
 * config.yaml; Flink reads the result back, and a JVM started with the options Flink's scripts
 * assemble from it for a TaskManager must have the vector module, next to Flink's Java 17 options.
 */
class DockerfileTest {

    private static final String FLINK_CONFIG = "/deploy/flink-2.2-default-config.yaml";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private static DockerfileInstructions dockerfile;
    private static String flinksJava17Options;

    @BeforeAll
    static void read() throws Exception {
        dockerfile = DockerfileInstructions.read();
        try (InputStream in = DockerfileTest.class.getResourceAsStream(FLINK_CONFIG)) {
            Path dir = Files.createTempDirectory("flink-default-conf");
            Files.copy(in, dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME));
            flinksJava17Options = GlobalConfiguration.loadConfiguration(dir.toString()).get(CoreOptions.FLINK_JVM_OPTIONS);
        }
        assertThat(flinksJava17Options).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
    }

    @Test
    void isTheStockImageWithTheJarInUsrlibAndTheJobFiles() {
        assertThat(dockerfile.baseImage()).isEqualTo("flink:2.2.1-java17");
        assertThat(dockerfile.repositoryPathOf("/opt/flink/usrlib/flink-softmax.jar"))
                .contains(Path.of("target", "flink-softmax-0.1.0-SNAPSHOT.jar"));
        assertThat(dockerfile.repositoryPathOf("/opt/flink/jobs/demo.yaml")).contains(Path.of("jobs", "demo.yaml"));
        // every source it copies exists after 'mvn package' (the jar) or in the repository
        dockerfile.copies().forEach(copy -> copy.sources().forEach(source -> {
            if (!source.endsWith(".jar")) {
                assertThat(Path.of(source)).as(source).exists();
            }
        }));
        // no WORKDIR or USER of its own: the base image's /opt/flink and user flink stay in force
        assertThat(dockerfile.all("WORKDIR")).isEmpty();
        assertThat(dockerfile.all("USER")).isEmpty();
    }

    @Test
    void flinksConfigToolAddsTheVectorFlagAndKeepsFlinksJava17Options(@TempDir Path conf) throws Exception {
        Configuration result = applyToFlinksConfig(conf, dockerfile.configParserArgumentsAsTheScriptPassesThem());

        assertThat(result.get(CoreOptions.FLINK_JVM_OPTIONS)).isEqualTo(flinksJava17Options);
        assertThat(result.get(CoreOptions.FLINK_TM_JVM_OPTIONS)).isEqualTo("--add-modules=jdk.incubator.vector");
        assertThat(result.get(CoreOptions.FLINK_JM_JVM_OPTIONS)).isEqualTo("--add-modules=jdk.incubator.vector");
    }

    @Test
    void aTaskManagerJvmStartedWithTheAssembledOptionsHasTheVectorModule(@TempDir Path conf) throws Exception {
        Configuration result = applyToFlinksConfig(conf, dockerfile.configParserArgumentsAsTheScriptPassesThem());

        List<String> output = runWithTaskManagerOptions(result);

        assertThat(output).contains("jdk.incubator.vector: present");
    }

    /**
     * The control: the flag written with a space, as conf/config.yaml and the JVM's own usage show
     * it, reaches the config file cut in two by the script, and a JVM started with the result has no
     * vector module (it does not start at all). The check above can therefore fail.
     */
    @Test
    void theFlagWithASpaceIsCutByTheScriptAndTheJvmGetsNoVectorModule(@TempDir Path conf) throws Exception {
        List<String> spaced = List.of("-D" + CoreOptions.FLINK_TM_JVM_OPTIONS.key() + "=--add-modules jdk.incubator.vector");
        List<String> asTheScriptPassesThem = List.of(String.join(" ", spaced).split("\\s+"));

        Configuration result = applyToFlinksConfig(conf, asTheScriptPassesThem);

        assertThat(result.get(CoreOptions.FLINK_TM_JVM_OPTIONS)).isEqualTo("--add-modules");
        assertThat(runWithTaskManagerOptions(result)).doesNotContain("jdk.incubator.vector: present")
                .anySatisfy(line -> assertThat(line).contains("--add-modules requires modules to be specified"));
    }

    /** Prints whether the vector module is in the boot layer; run in a JVM of its own. */
    public static final class ModuleProbe {
        public static void main(String[] args) {
            boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
            System.out.println("jdk.incubator.vector: " + (present ? "present" : "absent"));
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** What config-parser-utils.sh does: run BashJavaUtils, keep its result lines, write them as config.yaml. */
    private static Configuration applyToFlinksConfig(Path conf, List<String> dynamicArguments) throws Exception {
        try (InputStream in = DockerfileTest.class.getResourceAsStream(FLINK_CONFIG)) {
            Files.copy(in, conf.resolve(GlobalConfiguration.FLINK_CONF_FILENAME));
        }
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
                BashJavaUtils.class.getName(), "UPDATE_AND_GET_FLINK_CONFIGURATION", "--configDir", conf.toString()));
        command.addAll(dynamicArguments);
        List<String> lines = run(command);
        List<String> config = lines.stream().filter(l -> l.startsWith(RESULT_PREFIX))
                .map(l -> l.substring(RESULT_PREFIX.length())).toList();
        assertThat(config).as("BashJavaUtils output: %s", lines).isNotEmpty();
        Files.write(conf.resolve(GlobalConfiguration.FLINK_CONF_FILENAME), config, StandardCharsets.UTF_8);
        return GlobalConfiguration.loadConfiguration(conf.toString());
    }

    /**
     * Starts the probe with a TaskManager's options as bin/config.sh assembles them:
     * {@code env.java.default-opts.all env.java.opts.all} then
     * {@code env.java.default-opts.taskmanager env.java.opts.taskmanager}, split at whitespace
     * as the scripts' unquoted expansion does.
     */
    private static List<String> runWithTaskManagerOptions(Configuration conf) throws Exception {
        String options = String.join(" ", "-XX:+IgnoreUnrecognizedVMOptions",
                conf.get(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS), conf.get(CoreOptions.FLINK_JVM_OPTIONS),
                conf.get(CoreOptions.FLINK_DEFAULT_TM_JVM_OPTIONS), conf.get(CoreOptions.FLINK_TM_JVM_OPTIONS));
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(List.of(options.strip().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ModuleProbe.class.getName()));
        return run(command);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s finished", command.get(0)).isTrue();
        return lines;
    }
}
