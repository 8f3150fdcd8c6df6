package io.github.flinksoftmax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.ConfigLoader;
import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.format.OutputReader;
import io.github.flinksoftmax.local.LocalKafka;
import io.github.flinksoftmax.testing.KafkaBroker;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code docker compose up} runs, without Docker: the compose services' own scripts
 * (deploy/compose/) against a Kafka broker process and a multi-process Flink cluster configured as
 * the flink image configures it from the repository's conf/ (the entrypoint sets the JobManager
 * address; FLINK_PROPERTIES gives the TaskManagers their 6 slots), with the job jar where compose
 * mounts it. Kafka's tools are Kafka's own classes (kafka-tools), {@code flink} is Flink's
 * CliFrontend with the options Flink's scripts build from conf/config.yaml. Every job in jobs/ must
 * be submitted and running, and the demo job must bring the sample producer's logits out as
 * distributions, and its bad records as dead letters.
 */
class ComposeServicesIT {

    private static final int SAMPLES = 200;
    private static final int BAD_SAMPLES = 10; // sample-logits.sh: every 20th record

    private static Path work;
    private static LocalKafka broker;
    private static FlinkProcessCluster flink;
    private static String bootstrap;
    private static Path bin;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("compose-services-it");
        int kafkaPort = freePort();
        bootstrap = "localhost:" + kafkaPort;
        broker = new LocalKafka(kafkaPort, work.resolve("kafka"), work.resolve("kafka.log"));
        broker.start(Duration.ofSeconds(90));
        String classpath = Files.readString(Path.of(System.getProperty("flink.dist.classpath.file"))).trim();
        flink = new FlinkProcessCluster(work.resolve("flink"), classpath, freePort(), freePort(),
                Map.of("taskmanager.numberOfTaskSlots", "6"));
        flink.start(2);
        bin = Files.createDirectories(work.resolve("bin"));
        String testClasspath = System.getProperty("java.class.path");
        tool("kafka-topics.sh", List.of(FlinkProcessCluster.javaBin(), "-cp", testClasspath, "org.apache.kafka.tools.TopicCommand"));
        tool("kafka-console-producer.sh",
                List.of(FlinkProcessCluster.javaBin(), "-cp", testClasspath, "org.apache.kafka.tools.ConsoleProducer"));
        List<String> cli = new ArrayList<>(List.of(FlinkProcessCluster.javaBin()));
        cli.addAll(flink.scriptJvmOptions("client"));
        cli.addAll(List.of("-cp", classpath, "org.apache.flink.client.cli.CliFrontend"));
        tool("flink", cli);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (flink != null) {
                flink.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            // the scripts' and processes' logs stay under target/ for a post-mortem, the rest goes
            Path logs = Files.createDirectories(Path.of("target", "compose-services-it-logs"));
            try (Stream<Path> files = Files.walk(work)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    if (f.toString().endsWith(".log")) {
                        Files.copy(f, logs.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.delete(f);
                }
            }
        }
    }

    @Test
    void theComposeScriptsCreateTopicsSubmitEveryJobAndTheDemoBringsOutDistributions() throws Exception {
        script("create-topics.sh", Map.of());
        script("submit-jobs.sh", Map.of("JAR", Path.of(System.getProperty("job.jar")).toAbsolutePath().toString()));
        List<Path> jobs = jobFiles();
        FlinkProcessCluster.await(jobs.size() + " jobs running", Duration.ofSeconds(120), () -> running() == jobs.size());
        script("sample-logits.sh", Map.of("COUNT", Integer.toString(SAMPLES), "RATE", "0"));

        Map<String, Object> demo = ConfigLoader.readYaml(Path.of("jobs/demo.yaml"));
        List<ConsumerRecord<byte[], byte[]>> out = read(demo.get("output.topic").toString(), SAMPLES - BAD_SAMPLES);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = read(demo.get("dead-letter.topic").toString(), BAD_SAMPLES);
        assertThat(out).hasSize(SAMPLES - BAD_SAMPLES);
        assertThat(deadLetters).hasSize(BAD_SAMPLES);
        Map<String, Object> raw = new HashMap<>(demo);
        raw.put("kafka.bootstrap.servers", bootstrap);
        OutputReader reader = JobConfig.of(raw).outputReader();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            OutputReader.Output o = reader.read(r.key(), r.value(), key -> {
                var h = r.headers().lastHeader(key);
                return h == null ? null : h.value();
            });
            double sum = 0;
            for (float p : o.values()) {
                assertThat(p).isBetween(0f, 1f);
                sum += p;
            }
            assertThat(sum).as("row sum of %s", o.id()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(o.topK()).as("demo.yaml asks for top-5").hasSize(1);
        }
    }

    /** How many jobs the cluster runs, as its REST API reports them. */
    private static long running() throws Exception {
        JsonNode jobs = flink.rest("/jobs/overview").path("jobs");
        long n = 0;
        for (JsonNode job : jobs) {
            n += job.path("state").asText().equals("RUNNING") ? 1 : 0;
        }
        return n;
    }

    private static void script(String name, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", Path.of("deploy/compose", name).toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().put("KAFKA_BIN", bin.toString());
        pb.environment().put("FLINK_BIN", bin.toString());
        pb.environment().put("BOOTSTRAP", bootstrap);
        pb.environment().put("JOBS", Path.of("jobs").toAbsolutePath().toString());
        pb.environment().put("JOBMANAGER", "localhost:" + flink.restPort());
        pb.environment().put("FLINK_CONF_DIR", flink.confDir().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        int status = p.waitFor();
        assertThat(status).as("%s exit status; output:%n%s", name, Files.readString(work.resolve(name + ".log"))).isZero();
    }

    /** A stand-in for one of the images' tools: the same program, run from this machine's jars. */
    private static void tool(String name, List<String> command) throws Exception {
        Path script = bin.resolve(name);
        String quoted = command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Files.writeString(script, "#!/bin/sh\nexec " + quoted + " \"$@\"\n", StandardCharsets.UTF_8);
        assertThat(script.toFile().setExecutable(true)).isTrue();
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
        return KafkaBroker.read(Map.of("bootstrap.servers", bootstrap), topic, true, expected, Duration.ofSeconds(3),
                Duration.ofSeconds(120));
    }

    private static List<Path> jobFiles() throws Exception {
        try (var files = Files.list(Path.of("jobs"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
