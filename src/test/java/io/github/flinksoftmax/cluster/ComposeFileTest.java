package io.github.flinksoftmax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.ConfigLoader;
import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.FormatSettings;
import io.github.flinksoftmax.format.HeaderLookup;
import io.github.flinksoftmax.format.LogitsFormat;
import io.github.flinksoftmax.format.WireFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml and the scripts its one-shot services run (deploy/compose/). No Docker engine
 * runs where the tests run, so the file is read as data, and the scripts run here with stand-ins
 * for the images' Kafka tools that record what they are asked. What needs Docker (the images'
 * entrypoints, volumes, networking) is listed in docs/deployment.md.
 */
class ComposeFileTest {

    private static JsonNode services;

    @BeforeAll
    static void read() throws Exception {
        services = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yml").toFile()).path("services");
    }

    @Test
    void kafkaIsVersion4InKraftModeWithSingleReplicaTransactions() {
        JsonNode kafka = services.path("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:4.");
        JsonNode env = kafka.path("environment");
        assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(env.path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt()).isEqualTo(1);
        assertThat(env.path("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asInt()).isEqualTo(1);
        assertThat(env.path("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR").asInt()).isEqualTo(1);
        assertThat(texts(services.path("kafka").path("ports"))).contains("9094:9094");
    }

    /** The repository's conf/ is mounted read-only and copied: the image's entrypoint edits only its own copy. */
    @Test
    void flinkServicesNeverRewriteTheRepositorysConfAndPublishTheirMetrics() throws Exception {
        List<String> flink = flinkServers();
        assertThat(flink).contains("jobmanager", "taskmanager-1", "taskmanager-2");
        for (String name : flink) {
            JsonNode s = services.path(name);
            assertThat(s.path("image").asText()).as(name).isEqualTo("flink:2.2.1-java17");
            assertThat(texts(s.path("volumes"))).as(name).contains("./conf:/opt/flink/conf-repository:ro")
                    .noneMatch(v -> v.startsWith("./conf:/opt/flink/conf:") || v.equals("./conf:/opt/flink/conf"));
            assertThat(texts(s.path("entrypoint"))).as(name).containsExactly("/deploy/flink-entrypoint.sh");
            assertThat(s.path("environment").has("ENABLE_BUILT_IN_PLUGINS")).as(name).isFalse();
            assertThat(texts(s.path("ports"))).as(name + " publishes its Prometheus port").anyMatch(p -> p.endsWith(":9249"));
        }
        assertThat(Files.readString(Path.of("deploy/compose/flink-entrypoint.sh")))
                .contains("cp /opt/flink/conf-repository/* /opt/flink/conf/").contains("exec /docker-entrypoint.sh");
    }

    /** The checkpoint and savepoint directories of conf/config.yaml sit on the volume init-volumes hands to the flink user. */
    @Test
    void checkpointsGoToAVolumeTheFlinkUserOwns() {
        Map<String, Object> conf = ConfigLoader.readYaml(Path.of("conf/config.yaml"));
        String init = texts(services.path("init-volumes").path("entrypoint")).toString();
        assertThat(init).contains("chown -R flink:flink /tmp/flink-state");
        assertThat(services.path("init-volumes").path("user").asText()).isEqualTo("root");
        for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")) {
            assertThat(conf.get(key).toString()).as(key).startsWith("file:///tmp/flink-state/");
        }
        for (String name : flinkServers()) {
            assertThat(texts(services.path(name).path("volumes"))).as(name).contains("flink-state:/tmp/flink-state");
        }
    }

    /** Every job in jobs/ at its parallelism fits in the TaskManagers' slots, or `flink run` would wait forever. */
    @Test
    void theTaskManagersHaveASlotForEverySubtaskOfEveryJob() throws Exception {
        Map<String, Object> conf = ConfigLoader.readYaml(Path.of("conf/config.yaml"));
        int slots = 0;
        for (String name : flinkServers()) {
            if (services.path(name).path("command").asText().equals("taskmanager")) {
                String properties = services.path(name).path("environment").path("FLINK_PROPERTIES").asText();
                slots += properties.contains("taskmanager.numberOfTaskSlots:")
                        ? Integer.parseInt(properties.replaceAll(".*taskmanager.numberOfTaskSlots:\\s*(\\d+).*", "$1"))
                        : Integer.parseInt(conf.get("taskmanager.numberOfTaskSlots").toString());
            }
        }
        int needed = 0;
        for (Path job : jobFiles()) {
            Object parallelism = ConfigLoader.readYaml(job).get("parallelism");
            needed += Integer.parseInt((parallelism != null ? parallelism : conf.get("parallelism.default")).toString());
        }
        assertThat(slots).as("slots for %d subtasks", needed).isGreaterThanOrEqualTo(needed);
    }

    /** Only the images' own tools: Kafka's scripts and `flink run`; the job jar holds no tool to run with java -cp. */
    @Test
    void theOneShotServicesRunTheImagesOwnTools() throws Exception {
        assertThat(Files.readString(Path.of("docker-compose.yml"))).doesNotContain("java -cp").doesNotContain("\"java\"");
        assertThat(services.path("topics").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("producer").path("image").asText()).startsWith("apache/kafka:");
        assertThat(texts(services.path("client").path("volumes")))
                .contains("./target/flink-softmax-0.1.0-SNAPSHOT.jar:/opt/flink/usrlib/flink-softmax.jar:ro");
        String submit = Files.readString(Path.of("deploy/compose/submit-jobs.sh"));
        assertThat(submit).contains("\"$FLINK_BIN/flink\" run -d").contains("JAR=${JAR:-/opt/flink/usrlib/flink-softmax.jar}");
        for (String service : List.of("topics", "client", "producer")) {
            String script = texts(services.path(service).path("entrypoint")).get(0);
            assertThat(Path.of("deploy/compose", Path.of(script).getFileName().toString())).as(service).isExecutable();
        }
    }

    /** create-topics.sh, run with a stand-in kafka-topics.sh, asks for each job's in, out and dead-letter topic. */
    @Test
    void theTopicsServiceCreatesEveryJobsTopics(@TempDir Path dir) throws Exception {
        Path calls = dir.resolve("calls");
        standIn(dir, "kafka-topics.sh", "echo \"$@\" >> " + calls);
        run(dir, "deploy/compose/create-topics.sh", Map.of("JOBS", Path.of("jobs").toAbsolutePath().toString()));
        List<String> created = Files.readAllLines(calls).stream()
                .map(l -> l.replaceAll(".*--topic (\\S+).*", "$1")).toList();
        List<String> expected = new ArrayList<>();
        for (Path job : jobFiles()) {
            Map<String, Object> options = ConfigLoader.readYaml(job);
            String in = options.get("input.topic").toString();
            expected.add(in);
            expected.add(options.get("output.topic").toString());
            expected.add(options.getOrDefault("dead-letter.topic", in + ".dead-letter").toString());
        }
        assertThat(created).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Files.readAllLines(calls)).allMatch(l -> l.contains("--create --if-not-exists"));
    }

    /** sample-logits.sh writes keyed JSON the job reads: good rows, masked classes, and bad records for the dead-letter topic. */
    @Test
    void theProducerWritesWhatTheDemoJobReadsAndSomeBadRecords(@TempDir Path dir) throws Exception {
        Path written = dir.resolve("records");
        standIn(dir, "kafka-console-producer.sh", "cat > " + written);
        run(dir, "deploy/compose/sample-logits.sh", Map.of("COUNT", "200", "RATE", "0"));
        LogitsFormat json = WireFormat.JSON.create(FormatSettings.DEFAULTS);
        int good = 0;
        int bad = 0;
        int masked = 0;
        for (String line : Files.readAllLines(written)) {
            String[] keyValue = line.split("\\|", 2);
            assertThat(keyValue[0]).matches("img-\\d{6}");
            try {
                float[] logits = json.decode(keyValue[1].getBytes(StandardCharsets.UTF_8), HeaderLookup.NONE).values();
                if (logits.length == 10) {
                    good++;
                    masked += logits[9] == Float.NEGATIVE_INFINITY ? 1 : 0;
                } else {
                    assertThat(logits).as(keyValue[0]).contains(Float.NaN); // dead-lettered as non-finite-input
                    bad++;
                }
            } catch (BadRecordException e) {
                bad++; // dead-lettered as malformed-json
            }
        }
        assertThat(good + bad).isEqualTo(200);
        assertThat(bad).isEqualTo(10);
        assertThat(masked).isPositive();
    }

    private static void standIn(Path bin, String tool, String body) throws Exception {
        Path script = bin.resolve(tool);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
    }

    private static void run(Path bin, String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", script).redirectErrorStream(true);
        pb.environment().put("KAFKA_BIN", bin.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s exit status; output:%n%s", script, out).isZero();
    }

    private static List<String> flinkServers() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            String command = services.path(name).path("command").asText();
            if (command.equals("jobmanager") || command.equals("taskmanager")) {
                names.add(name);
            }
        });
        return names;
    }

    private static List<Path> jobFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("jobs"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isTextual()) {
            out.add(array.asText());
        }
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
