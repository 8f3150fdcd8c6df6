package io.github.flinksoftmax.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.ConfigLoader;
import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.job.SoftmaxJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Kubernetes runs where the tests run, so deploy/k8s/ is checked as files, each against an outside
 * oracle: the FlinkDeployment against the CRD the Flink Kubernetes Operator 1.15.0 publishes (vendored
 * in src/test/resources/deploy/, see the README there) and the rules of that release's
 * {@code DefaultValidator}; its Flink keys against Flink 2.2.1's own option declarations; its job
 * arguments against the job's own configuration loader, with the job file the image holds; its
 * Secret references against the Secret example, resolved by Kafka's own config provider.
 */
class FlinkDeploymentManifestTest {

    static final Path DEPLOYMENT = Path.of("deploy", "k8s", "flinkdeployment.yaml");
    static final Path SECRET = Path.of("deploy", "k8s", "kafka-credentials-secret.yaml");
    /** The operator release whose CRD is the oracle; the manifest's comment names the same one. */
    static final String OPERATOR_VERSION = "1.15.0";
    static final String CRD = "/deploy/flinkdeployments.flink.apache.org-v1.yml";
    static final String VECTOR_FLAG = "--add-modules=jdk.incubator.vector";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DIR_REFERENCE = Pattern.compile("\\$\\{dir:([^:}]+):([^}]+)}");

    private static CrdSchema crd;
    private static JsonNode deployment;
    private static JsonNode secret;
    private static DockerfileInstructions dockerfile;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = FlinkDeploymentManifestTest.class.getResourceAsStream(CRD)) {
            crd = CrdSchema.read(in);
        }
        deployment = YAML.readTree(DEPLOYMENT.toFile());
        secret = YAML.readTree(SECRET.toFile());
        dockerfile = DockerfileInstructions.read();
    }

    @Test
    void conformsToTheOperatorsCrd() throws Exception {
        assertThat(crd.violations(deployment)).isEmpty();
        assertThat(Files.readString(DEPLOYMENT, StandardCharsets.UTF_8)).as("the comment naming the operator it needs")
                .contains("Operator " + OPERATOR_VERSION + " or later");
    }

    /** The control: the same check fails on what the operator's CRD would not take. */
    @Test
    void theCrdCheckRejectsAMisspeltFieldABadEnumAndAWrongType() {
        assertThat(violationsAfter(d -> renameField(job(d), "upgradeMode", "upgradeMod")))
                .anySatisfy(v -> assertThat(v).startsWith("spec.job.upgradeMod: unknown field"));
        assertThat(violationsAfter(d -> job(d).put("upgradeMode", "savepoints")))
                .anySatisfy(v -> assertThat(v).startsWith("spec.job.upgradeMode: \"savepoints\", allowed:"));
        // v2_3 is declared by the operator's FlinkVersion enum in 1.15.0 but not by its CRD
        assertThat(violationsAfter(d -> ((ObjectNode) d.get("spec")).put("flinkVersion", "v2_3")))
                .anySatisfy(v -> assertThat(v).startsWith("spec.flinkVersion: \"v2_3\", allowed:"));
        assertThat(violationsAfter(d -> renameField((ObjectNode) d.get("spec"), "flinkConfiguration", "flinkConfig")))
                .anySatisfy(v -> assertThat(v).startsWith("spec.flinkConfig: unknown field"));
        assertThat(violationsAfter(d -> job(d).put("parallelism", "2")))
                .anySatisfy(v -> assertThat(v).startsWith("spec.job.parallelism: \"2\", allowed: an integer"));
        assertThat(violationsAfter(d -> ((ObjectNode) d).put("apiVersion", "flink.apache.org/v1")))
                .anySatisfy(v -> assertThat(v).startsWith("apiVersion:"));
        assertThat(violationsAfter(d -> ((ObjectNode) d.at("/spec/podTemplate/spec/containers/0")).put("volumeMount", "x")))
                .anySatisfy(v -> assertThat(v).startsWith("spec.podTemplate.spec.containers[0].volumeMount: unknown field"));
    }

    @Test
    void isAnApplicationOnFlink22UpgradedThroughSavepoints() {
        JsonNode spec = deployment.path("spec");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
        assertThat(crd.schemaOf("spec.flinkVersion").path("enum").toString()).contains("\"v2_2\"");
        // the image's Flink is the version the operator is told
        assertThat(dockerfile.baseImage()).isEqualTo("flink:2.2.1-java17");
        // a job section makes it an application cluster; native is the operator's default mode
        assertThat(spec.path("job").isObject()).isTrue();
        assertThat(spec.path("mode").asText("native")).isEqualTo("native");
        assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.path("job").path("state").asText()).isEqualTo("running");
        assertThat(spec.path("serviceAccount").asText()).isNotBlank();
        assertThat(spec.path("job").path("parallelism").asInt()).isPositive();
    }

    /** The rules of the operator's DefaultValidator (release-1.15.0) that a manifest alone can break. */
    @Test
    void passesTheOperatorsValidator() {
        assertThat(deployment.path("metadata").path("name").asText()).matches("[a-z]([-a-z\\d]{0,43}[a-z\\d])?");
        Map<String, String> conf = flinkConfiguration();
        // upgradeMode savepoint: "Checkpoint directory[...] must be defined", "Job could not be upgraded with savepoint ..."
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key())).isNotBlank();
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY.key())).isNotBlank();
        // "Forbidden Flink config key": the operator sets these itself
        assertThat(conf).doesNotContainKeys("kubernetes.namespace", "kubernetes.cluster-id",
                HighAvailabilityOptions.HA_CLUSTER_ID.key());
        for (String role : List.of("jobManager", "taskManager")) {
            assertThat(deployment.path("spec").path(role).path("resource").path("memory").asText()).as(role).isNotBlank();
            assertThat(deployment.path("spec").path(role).path("replicas").asInt(1)).as(role).isPositive();
        }
        assertThat(URI.create(deployment.path("spec").path("job").path("jarURI").asText()).getScheme()).isNotNull();
    }

    /** Every key is one Flink 2.2.1 declares, under its current name (not a deprecated 1.x one). */
    @Test
    void flinkConfigurationUsesFlink22Keys() throws Exception {
        Set<String> declared = new HashSet<>();
        for (Class<?> options : List.of(CoreOptions.class, CheckpointingOptions.class, HighAvailabilityOptions.class,
                TaskManagerOptions.class, JobManagerOptions.class, RestartStrategyOptions.class)) {
            for (Field field : options.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                    declared.add(((ConfigOption<?>) field.get(null)).key());
                }
            }
        }
        assertThat(declared).contains("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir");
        assertThat(flinkConfiguration().keySet()).allSatisfy(key -> assertThat(declared).as(key).contains(key));
    }

    /**
     * The vector kernel's flag goes on the per-role keys, which Flink's scripts append to
     * {@code env.java.default-opts.all} (where the operator's default configuration puts Flink's Java 17
     * options) and {@code env.java.opts.all}; setting either of those here would replace them.
     */
    @Test
    void theVectorFlagIsAddedToFlinksJvmOptionsNotInPlaceOfThem() {
        Map<String, String> conf = flinkConfiguration();
        assertThat(conf.get(CoreOptions.FLINK_TM_JVM_OPTIONS.key())).isEqualTo(VECTOR_FLAG);
        assertThat(conf.get(CoreOptions.FLINK_JM_JVM_OPTIONS.key())).isEqualTo(VECTOR_FLAG);
        assertThat(conf).doesNotContainKeys(CoreOptions.FLINK_JVM_OPTIONS.key(), CoreOptions.FLINK_DEFAULT_JVM_OPTIONS.key(),
                CoreOptions.FLINK_DEFAULT_TM_JVM_OPTIONS.key(), CoreOptions.FLINK_DEFAULT_JM_JVM_OPTIONS.key());
        // the same setting as the image's own conf/, so the image run without the operator gets it too
        assertThat(dockerfile.configParserArgumentsAsTheScriptPassesThem()).contains(
                "-D" + CoreOptions.FLINK_TM_JVM_OPTIONS.key() + "=" + VECTOR_FLAG,
                "-D" + CoreOptions.FLINK_JM_JVM_OPTIONS.key() + "=" + VECTOR_FLAG);
    }

    @Test
    void theJarUriNamesTheJarTheImageCopiesFromTheMavenBuild() throws Exception {
        JsonNode job = deployment.path("spec").path("job");
        URI jar = URI.create(job.path("jarURI").asText());
        assertThat(jar.getScheme()).as("a file inside the image").isEqualTo("local");
        assertThat(jar.getPath()).startsWith("/opt/flink/usrlib/");
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher coordinates = Pattern.compile("<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(coordinates.find()).isTrue();
        assertThat(dockerfile.repositoryPathOf(jar.getPath()))
                .contains(Path.of("target", coordinates.group(1) + "-" + coordinates.group(2) + ".jar"));
        assertThat(job.path("entryClass").asText()).isEqualTo(SoftmaxJob.class.getName());
    }

    /**
     * The arguments are run through the job's own loader, as the JobManager will, with the job file
     * the image holds (the repository's copy): the file exists, every key is valid, the
     * bootstrap servers are the overridden ones, and the parallelism is left to the FlinkDeployment.
     * Relative paths in the job file (labels) resolve against the image's working directory to files
     * the image holds too.
     */
    @Test
    void theArgsNameAJobFileTheImageHoldsAndPassTheJobsValidation() {
        List<String> args = args();
        int job = args.indexOf("--job");
        assertThat(job).as("--job <file>").isNotNegative();
        String imageJobFile = args.get(job + 1);
        Path repositoryJobFile = dockerfile.repositoryPathOf(imageJobFile)
                .orElseThrow(() -> new AssertionError("no COPY puts anything at " + imageJobFile));
        assertThat(repositoryJobFile).startsWith(Path.of("jobs")).isRegularFile();

        List<String> local = new ArrayList<>(args);
        local.set(job + 1, repositoryJobFile.toString());
        JobConfig config = ConfigLoader.fromArgs(local.toArray(String[]::new));

        assertThat(config.kafkaSourceProperties().getProperty("bootstrap.servers"))
                .isEqualTo(setValue("kafka.bootstrap.servers"))
                .isNotEqualTo(ConfigLoader.readYaml(repositoryJobFile).get("kafka.bootstrap.servers"));
        // the job's own parallelism option would override the operator's (env.setParallelism in the job)
        assertThat(config.get(SoftmaxOptions.PARALLELISM)).as("the job file's parallelism, overridden").isZero();
        Object labelsFile = ConfigLoader.readYaml(repositoryJobFile).get("postprocess.labels-file");
        if (labelsFile != null) {
            String inImage = DockerfileInstructions.BASE_IMAGE_WORKDIR + "/" + labelsFile;
            assertThat(dockerfile.repositoryPathOf(inImage)).as(inImage).contains(Path.of(labelsFile.toString()));
            assertThat(config.labels()).isNotEmpty();
        }
    }

    @Test
    void theSecretThePodsMountExistsAndHoldsEveryKeyTheArgsName() {
        assertThat(secret.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(secret.path("kind").asText()).isEqualTo("Secret");
        Map<String, String> mounts = secretMounts();
        assertThat(mounts).as("secret volumes by mount path").isNotEmpty();
        assertThat(mounts.values()).containsOnly(secret.path("metadata").path("name").asText());
        JsonNode data = secret.path("stringData");

        Matcher reference = DIR_REFERENCE.matcher(String.join(" ", args()));
        int found = 0;
        while (reference.find()) {
            found++;
            assertThat(mounts).as("a Secret mounted at " + reference.group(1)).containsKey(reference.group(1));
            assertThat(data.has(reference.group(2))).as("key " + reference.group(2) + " in the Secret").isTrue();
        }
        assertThat(found).as("${dir:...} references in the args").isEqualTo(2);
        // the pods' env, if it names Secrets, names this one and its keys
        deployment.findValues("secretKeyRef").forEach(ref -> {
            assertThat(ref.path("name").asText()).isEqualTo(secret.path("metadata").path("name").asText());
            assertThat(data.has(ref.path("key").asText())).isTrue();
        });
    }

    /**
     * The credentials resolve: Kafka's own config handling, given the job's Kafka properties and a
     * directory laid out as Kubernetes mounts the Secret (one file per key), puts the Secret's values
     * into the JAAS line.
     */
    @Test
    void kafkasDirectoryProviderResolvesTheCredentialsFromTheMountedSecret(@TempDir Path mount) throws Exception {
        String mountPath = secretMounts().keySet().iterator().next();
        secret.path("stringData").fields().forEachRemaining(e -> write(mount.resolve(e.getKey()), e.getValue().asText()));
        List<String> local = new ArrayList<>();
        for (String arg : args()) {
            local.add(arg.replace("${dir:" + mountPath + ":", "${dir:" + mount + ":"));
        }
        int job = local.indexOf("--job");
        local.set(job + 1, dockerfile.repositoryPathOf(local.get(job + 1)).orElseThrow().toString());
        Properties kafka = ConfigLoader.fromArgs(local.toArray(String[]::new)).kafkaSourceProperties();

        Map<String, Object> resolved = new AbstractConfig(new ConfigDef(), kafka).originals();

        assertThat(resolved.get("sasl.jaas.config").toString())
                .contains("username=\"" + secret.path("stringData").path("username").asText() + "\"")
                .contains("password=\"" + secret.path("stringData").path("password").asText() + "\"")
                .doesNotContain("${");
    }

    // ---------------------------------------------------------------------------------------------

    private static List<String> violationsAfter(Consumer<JsonNode> change) {
        JsonNode copy = deployment.deepCopy();
        change.accept(copy);
        return crd.violations(copy);
    }

    private static ObjectNode job(JsonNode d) {
        return (ObjectNode) d.path("spec").path("job");
    }

    private static void renameField(ObjectNode node, String from, String to) {
        node.set(to, node.remove(from));
    }

    private static Map<String, String> flinkConfiguration() {
        Map<String, String> conf = new HashMap<>();
        deployment.path("spec").path("flinkConfiguration").fields()
                .forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
        return conf;
    }

    private static List<String> args() {
        List<String> out = new ArrayList<>();
        ((ArrayNode) deployment.path("spec").path("job").path("args")).forEach(a -> out.add(a.asText()));
        return out;
    }

    private static String setValue(String key) {
        List<String> args = args();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--set") && args.get(i + 1).startsWith(key + "=")) {
                return args.get(i + 1).substring(key.length() + 1);
            }
        }
        throw new AssertionError("no --set " + key + "=... in the args");
    }

    /** Mount path to Secret name, for the Secret volumes the pod template mounts into the Flink container. */
    private static Map<String, String> secretMounts() {
        JsonNode pod = deployment.path("spec").path("podTemplate").path("spec");
        Map<String, String> secretByVolume = new HashMap<>();
        pod.path("volumes").forEach(v -> {
            if (v.has("secret")) {
                secretByVolume.put(v.path("name").asText(), v.path("secret").path("secretName").asText());
            }
        });
        Map<String, String> out = new HashMap<>();
        pod.path("containers").forEach(c -> {
            if (c.path("name").asText().equals("flink-main-container")) {
                c.path("volumeMounts").forEach(m -> {
                    String secretName = secretByVolume.get(m.path("name").asText());
                    if (secretName != null) {
                        out.put(m.path("mountPath").asText(), secretName);
                    }
                });
            }
        });
        return out;
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
