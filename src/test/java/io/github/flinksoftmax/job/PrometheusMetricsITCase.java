package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import static io.github.flinksoftmax.testing.Records.utf8;

import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.MiniClusters;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.TestJobs;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's metrics as a Prometheus server reads them: Flink's own Prometheus reporter runs
 * in the MiniCluster, the job processes good and bad records, and the test scrapes
 * {@code /metrics} over HTTP and checks the series the operations guide names, with values that
 * match what went through the topics.
 */
@ExtendWith(KafkaBroker.class)
class PrometheusMetricsITCase {

    private static final int PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2, Configuration.fromMap(Map.of(
            "metrics.reporter.prom.factory.class", PrometheusReporterFactory.class.getName(),
            "metrics.reporter.prom.port", Integer.toString(PORT))));

    private static final String SOFTMAX = "flink_taskmanager_job_task_operator_softmax_";
    private static final int GOOD = 20;
    private static final Map<String, Integer> BAD = Map.of("malformed-json", 2, "non-finite-input", 1);

    @Test
    void aScrapeShowsRecordsDeadLettersByReasonTheKernelAndTheLatency(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        List<String> t = KafkaBroker.createTopics("prom", 1, "in", "out", "dlq");
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) {
            in.add(now(t.get(0), "good-" + i, "[1.0, 2.0, " + i + ".5]"));
        }
        in.add(now(t.get(0), "bad-1", "[1.0, 2.0"));
        in.add(now(t.get(0), "bad-2", "{\"logits\": "));
        in.add(now(t.get(0), "bad-3", "[1.0, NaN]"));
        long producedFrom = System.currentTimeMillis();
        KafkaBroker.produce(in);

        try (RunningJob job = RunningJob.start(cluster, TestJobs.config(t.get(0), t.get(1), t.get(2), Map.of()))) {
            assertThat(KafkaBroker.read(t.get(1), true, GOOD, Duration.ZERO, Duration.ofSeconds(60))).hasSize(GOOD);
            assertThat(KafkaBroker.read(t.get(2), true, 3, Duration.ZERO, Duration.ofSeconds(60))).hasSize(3);
            String jobId = job.client().getJobID().toString();
            List<Sample> scrape = awaitScrape(jobId, Duration.ofSeconds(30));
            long scrapedBy = System.currentTimeMillis();

            assertThat(value(scrape, SOFTMAX + "recordsIn", Map.of())).isEqualTo(GOOD + 3);
            assertThat(value(scrape, SOFTMAX + "recordsOut", Map.of())).isEqualTo(GOOD);
            assertThat(value(scrape, SOFTMAX + "deadLetters", Map.of())).isEqualTo(3);
            // the reporter replaces characters other than [a-zA-Z0-9:_] in label values by default
            BAD.forEach((reason, n) -> assertThat(value(scrape, SOFTMAX + "reason_deadLetters",
                    Map.of("reason", reason.replace('-', '_')))).as(reason).isEqualTo((double) n));
            assertThat(value(scrape, SOFTMAX + "reason_deadLetters", Map.of("reason", "all_masked"))).isZero();
            assertThat(value(scrape, SOFTMAX + "vectorBits", Map.of())).isIn(0.0, 128.0, 256.0, 512.0);
            assertThat(scrape).as("no string gauge, which the reporter would show as 0")
                    .noneMatch(s -> s.name().equals(SOFTMAX + "kernel"));

            // only outputs count, and every input carried the producer's timestamp
            assertThat(value(scrape, SOFTMAX + "latencyMs_count", Map.of())).isEqualTo(GOOD);
            double previous = 0;
            // the quantiles Flink 2.2's reporter writes for a histogram (a summary: no buckets, no _sum)
            for (String q : List.of("0.5", "0.75", "0.95", "0.98", "0.99", "0.999")) {
                double ms = value(scrape, SOFTMAX + "latencyMs", Map.of("quantile", q));
                // one clock for producer and job: no latency below 0 or above the test's own elapsed time
                assertThat(ms).as("latency quantile %s", q).isBetween(previous, (double) (scrapedBy - producedFrom));
                previous = ms;
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> now(String topic, String key, String value) {
        return new ProducerRecord<>(topic, null, null, utf8(key), utf8(value)); // the producer stamps it: now
    }

    /** One line of the text exposition format: {@code name{label="value",...} number}. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Scrapes until this job's operator reports every output: the reporter reads live counters. */
    private static List<Sample> awaitScrape(String jobId, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
            List<Sample> ours = parse(response.body()).stream()
                    .filter(s -> jobId.equals(s.labels().get("job_id"))).toList();
            if (value(ours, SOFTMAX + "recordsIn", Map.of()) >= GOOD + 3 || System.nanoTime() > deadline) {
                // into the test's report file: the series as a Prometheus server sees them
                response.body().lines().filter(line -> line.startsWith(SOFTMAX) && line.contains(jobId))
                        .forEach(System.out::println);
                return ours;
            }
            Thread.sleep(200);
        }
    }

    static List<Sample> parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    /** The sum over the series named {@code name} that carry {@code labels}; NaN if there is none. */
    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
        return matching.isEmpty() ? Double.NaN : matching.stream().mapToDouble(Sample::value).sum();
    }

    private static int freePort() {
        // asked of the OS once, when the class loads: a fixed port would clash with other builds on the host
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the Prometheus reporter", e);
        }
    }
}
