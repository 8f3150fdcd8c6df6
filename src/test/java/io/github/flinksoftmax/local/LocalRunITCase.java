package io.github.flinksoftmax.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.job.DeadLetters;
import io.github.flinksoftmax.testing.KafkaBroker;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local run end to end, as a user starts it: a separate {@code java} process running
 * {@link LocalRun} with its own broker process and MiniCluster. Checks what it prints (decoded
 * results with ImageNet labels, dead letters), what Flink's REST API says about the running job,
 * and that after it ends, by {@code --records} or by SIGTERM, its ports are free, its broker
 * process is gone and its temporary directory is empty.
 */
@ExtendWith(KafkaBroker.class) // for existingClusterIsUsedAndNoBrokerStarted
class LocalRunITCase {

    private static final Duration START = Duration.ofSeconds(150);
    private static final Duration STOP = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    /** A decoded result: id, then the top label and its probability, then the next. */
    private static final String RESULT_LINE = "^  img-\\d{6}(?: \\(batch of \\d+, row 1\\))?  (.+?) (\\d\\.\\d{3}) \\| ";

    @Test
    void runsForRecordsShowsLabelledResultsAndLeavesNothing(@TempDir Path tmp) throws Exception {
        int kafkaPort = LocalRunProcess.freePort();
        int webPort = LocalRunProcess.freePort();
        try (LocalRunProcess run = LocalRunProcess.start(tmp, "--records", "300",
                "--kafka-port", Integer.toString(kafkaPort), "--web-port", Integer.toString(webPort))) {
            long brokerPid = Long.parseLong(run.awaitLine("KRaft broker pid (\\d+)", START).group(1));
            String job = run.awaitLine("job ([0-9a-f]{32}) running", START).group(1);
            assertTheRestApiShowsTheRunningJob(new FlinkRest(webPort), job);

            assertThat(run.awaitExit(STOP)).as("exit code; output:\n%s", run.output()).isZero();
            String topLabel = run.awaitLine(RESULT_LINE, Duration.ZERO).group(1);
            assertThat(Files.readAllLines(Path.of("jobs/labels/imagenet-1k.txt"))).contains(topLabel);
            assertThat(run.lines()).anyMatch(l -> l.startsWith("  dead letter img-"));
            Matcher done = run.awaitLine("Done: ([\\d,]+) records out, ([\\d,]+) dead-lettered", Duration.ZERO);
            assertThat(number(done.group(1)) + number(done.group(2))).isGreaterThanOrEqualTo(300);
            assertThat(number(done.group(2))).as("dead letters").isPositive();
            assertNothingLeft(run, tmp, brokerPid, kafkaPort, webPort);
        }
    }

    @Test
    void sigtermMidStreamStopsEverything(@TempDir Path tmp) throws Exception {
        int kafkaPort = LocalRunProcess.freePort();
        int webPort = LocalRunProcess.freePort();
        try (LocalRunProcess run = LocalRunProcess.start(tmp,
                "--kafka-port", Integer.toString(kafkaPort), "--web-port", Integer.toString(webPort))) {
            long brokerPid = Long.parseLong(run.awaitLine("KRaft broker pid (\\d+)", START).group(1));
            run.awaitLine(RESULT_LINE, START);
            run.terminate();
            run.awaitExit(STOP);
            assertThat(run.lines()).anyMatch(l -> l.startsWith("Stopped: broker pid " + brokerPid + " ended"));
            assertNothingLeft(run, tmp, brokerPid, kafkaPort, webPort);
        }
    }

    @Test
    void existingClusterIsUsedAndNoBrokerStarted(@TempDir Path tmp) throws Exception {
        String prefix = "local-it-" + UUID.randomUUID().toString().substring(0, 8);
        String in = prefix + "-logits";
        String out = prefix + "-probabilities";
        String dlq = prefix + "-dead-letters";
        int records = 200;
        int webPort = LocalRunProcess.freePort();
        try (LocalRunProcess run = LocalRunProcess.start(tmp, "--bootstrap-servers", KafkaBroker.bootstrapServers(),
                "--records", Integer.toString(records), "--web-port", Integer.toString(webPort),
                "--set", "job.name=" + prefix, "--set", "input.topic=" + in, "--set", "output.topic=" + out,
                "--set", "dead-letter.topic=" + dlq)) {
            run.awaitLine("existing cluster, no local broker", START);
            run.awaitLine("job [0-9a-f]{32} running", START);
            assertThat(run.descendantsNow()).as("child processes of a run on an existing cluster").isEmpty();
            assertThat(run.awaitExit(STOP)).as("exit code; output:\n%s", run.output()).isZero();
            assertThat(run.descendantsSeen()).isEmpty();
            assertThat(run.lines()).anyMatch(l -> l.matches(RESULT_LINE + ".*"));
            assertThat(Ports.isFree(webPort)).isTrue();
        }
        assertEveryRecordCameOutOnce(in, out, dlq, records);
        assertThat(listFiles(tmp)).isEmpty();
    }

    private static void assertTheRestApiShowsTheRunningJob(FlinkRest rest, String job) throws Exception {
        JsonNode overview = rest.get("/jobs/overview").path("jobs");
        assertThat(overview).hasSize(1);
        assertThat(overview.get(0).path("jid").asText()).isEqualTo(job);
        assertThat(overview.get(0).path("state").asText()).isEqualTo("RUNNING");
        JsonNode details = rest.get("/jobs/" + job);
        assertThat(details.path("name").asText()).isEqualTo("softmax-demo");
        List<String> vertices = new ArrayList<>();
        details.path("vertices").forEach(v -> vertices.add(v.path("name").asText()));
        String all = String.join(" / ", vertices);
        // operators chain into one vertex or more; their names are what a user sees in the web UI
        assertThat(all).contains("Source: Kafka source: demo-logits", "Softmax",
                "Kafka sink: demo-probabilities", "Kafka sink: demo-logits.dead-letter");
    }

    private static void assertNothingLeft(LocalRunProcess run, Path tmp, long brokerPid, int kafkaPort, int webPort)
            throws Exception {
        assertThat(ProcessHandle.of(brokerPid).filter(ProcessHandle::isAlive)).as("broker process %d", brokerPid).isEmpty();
        assertThat(run.descendantsSeen()).as("child processes seen").isNotEmpty()
                .allSatisfy(h -> assertThat(h.isAlive()).as("process %d still alive", h.pid()).isFalse());
        assertThat(Ports.isFree(kafkaPort)).as("Kafka port %d free", kafkaPort).isTrue();
        assertThat(Ports.isFree(webPort)).as("web port %d free", webPort).isTrue();
        assertThat(listFiles(tmp)).as("files left in the run's java.io.tmpdir").isEmpty();
    }

    /**
     * Each sample id came out exactly once, on the output or the dead-letter topic, and the
     * deliberately bad ones as dead letters. Written so it holds for the JSON format as it is on
     * this branch and as it will be, which differ in which good records they accept.
     */
    private static void assertEveryRecordCameOutOnce(String in, String out, String dlq, int records) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> outputs = KafkaBroker.read(out, true, 1, Duration.ofSeconds(1), Duration.ofSeconds(20));
        List<ConsumerRecord<byte[], byte[]>> deadLetters = KafkaBroker.read(dlq, true, 1, Duration.ofSeconds(1), Duration.ofSeconds(20));
        List<String> ids = new ArrayList<>();
        Set<String> deadIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : outputs) {
            ids.add(new String(r.key(), StandardCharsets.UTF_8));
            assertRowsSumToOne(JSON.readTree(r.value()));
        }
        for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
            String id = new String(r.key(), StandardCharsets.UTF_8);
            ids.add(id);
            deadIds.add(id);
            assertThat(KafkaBroker.header(r, DeadLetters.REASON)).as("reason of %s", id).isNotBlank();
        }
        assertThat(ids).hasSize(records).doesNotHaveDuplicates();
        for (int n = 0; n < records; n++) {
            SampleLogits.Sample sample = SampleLogits.sample(n);
            assertThat(ids).contains(sample.id());
            if (sample.bad()) {
                assertThat(deadIds).as("bad sample %s (%s)", sample.id(), sample.kind()).contains(sample.id());
            }
            if (sample.kind() == SampleLogits.Kind.BARE_ARRAY) {
                assertThat(deadIds).as("good sample %s", sample.id()).doesNotContain(sample.id());
            }
        }
    }

    private static void assertRowsSumToOne(JsonNode output) {
        JsonNode p = output.path("probabilities");
        List<JsonNode> rows = new ArrayList<>();
        if (p.path(0).isArray()) {
            p.forEach(rows::add);
        } else {
            rows.add(p);
        }
        for (JsonNode row : rows) {
            assertThat(row).hasSize(SampleLogits.CLASSES);
            double sum = 0;
            for (JsonNode x : row) {
                sum += x.asDouble();
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    private static List<Path> listFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir)).toList();
        }
    }
}
