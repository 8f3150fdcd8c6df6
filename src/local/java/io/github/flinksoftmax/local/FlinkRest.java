package io.github.flinksoftmax.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.apache.flink.api.common.JobID;

/**
 * The few questions the local run asks Flink's REST API (the one behind the web UI): are the
 * job's tasks running, and which softmax kernel do they use. The kernel is read from the
 * operator's {@code softmax.vectorBits} gauge (0 for the scalar kernel) because it is chosen where
 * the work runs, on the TaskManager; nothing on the client side knows it.
 */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String base;

    FlinkRest(int port) {
        this.base = "http://localhost:" + port;
    }

    /** GETs {@code path} (such as {@code /jobs/overview}) and parses the JSON answer. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Whether the job and every one of its vertices are RUNNING. */
    boolean allTasksRunning(JobID job) throws InterruptedException {
        try {
            JsonNode details = get("/jobs/" + job);
            if (!"RUNNING".equals(details.path("state").asText())) {
                return false;
            }
            for (JsonNode vertex : details.path("vertices")) {
                if (!"RUNNING".equals(vertex.path("status").asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false; // the job is not known to the REST API yet
        }
    }

    /**
     * The kernel of the first softmax subtask, such as {@code "scalar"} or {@code "vector-256"}
     * (256-bit vectors), or empty until Flink's metric fetcher has it.
     */
    Optional<String> kernel(JobID job) throws InterruptedException {
        try {
            for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
                if (!vertex.path("name").asText().contains("Softmax")) {
                    continue;
                }
                String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/metrics";
                for (JsonNode metric : get(path)) {
                    String id = metric.path("id").asText();
                    if (id.endsWith(".softmax.vectorBits")) {
                        String bits = value(path, id);
                        // the kernels' own names, as Softmax.kernelName() gives them
                        return bits.isEmpty() ? Optional.empty()
                                : Optional.of(bits.equals("0") ? "scalar" : "vector-" + bits);
                    }
                }
                return Optional.empty();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String value(String path, String metricId) throws IOException, InterruptedException {
        JsonNode values = get(path + "?get=" + URLEncoder.encode(metricId, StandardCharsets.UTF_8));
        return values.path(0).path("value").asText();
    }
}
