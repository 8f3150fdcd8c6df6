package io.github.flinksoftmax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs where the tests run, so docker-compose.yml is checked as a file: the
 * images and versions the project supports, the ports users are told about, and every file or
 * directory it mounts or runs exists in the repository (the job jar after {@code mvn package}).
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
        assertThat(texts(kafka.path("ports"))).contains("9094:9094");
    }

    @Test
    void flinkIs22OnJava17WithAJobManagerAndTwoTaskManagersSharingConf() {
        assertThat(services.path("jobmanager").path("command").asText()).isEqualTo("jobmanager");
        assertThat(texts(services.path("jobmanager").path("ports"))).contains("8081:8081");
        List<String> taskManagers = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            JsonNode s = services.path(name);
            if (s.path("image").asText().startsWith("flink:")) {
                assertThat(s.path("image").asText()).as(name).isEqualTo("flink:2.2.1-java17");
            }
            if (s.path("command").asText().equals("taskmanager")) {
                taskManagers.add(name);
                assertThat(texts(s.path("volumes"))).as(name).contains("./conf:/opt/flink/conf");
            }
        });
        assertThat(taskManagers).hasSize(2);
        assertThat(texts(services.path("jobmanager").path("volumes"))).contains("./conf:/opt/flink/conf");
    }

    @Test
    void everyMountedPathExists() throws Exception {
        List<String> checked = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            for (String volume : texts(services.path(name).path("volumes"))) {
                String source = volume.split(":")[0];
                if (source.startsWith("./")) {
                    Path path = Path.of(source);
                    // the job jar is built by 'mvn package', which runs before this test only in 'verify'
                    if (!source.endsWith(".jar")) {
                        assertThat(path).as(name + " mounts " + source).exists();
                    } else {
                        assertThat(path.getFileName().toString()).as("the jar Maven builds")
                                .isEqualTo("flink-softmax-0.1.0-SNAPSHOT.jar");
                    }
                    checked.add(source);
                }
            }
        });
        assertThat(checked).contains("./conf", "./jobs");
        assertThat(Path.of("conf/config.yaml")).exists();
        assertThat(Path.of("conf/log4j-console.properties")).exists();
    }

    @Test
    void theClientSubmitsEveryJobAndTheProducerRunsTheDemo() throws Exception {
        String client = services.path("client").path("command").get(0).asText();
        assertThat(client).contains("jobs/*.yaml").contains("flink run").contains("DemoFeed");
        String producer = texts(services.path("producer").path("entrypoint")).toString();
        assertThat(producer).contains("io.github.flinksoftmax.local.DemoFeed").contains("jobs/demo.yaml");
        // the classes the compose file runs exist under those names
        assertThat(Files.exists(Path.of("src/main/java/io/github/flinksoftmax/local/DemoFeed.java"))).isTrue();
        assertThat(Class.forName("io.github.flinksoftmax.local.DemoFeed").getMethod("main", String[].class)).isNotNull();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
