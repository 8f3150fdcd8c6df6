package io.github.flinksoftmax.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * Where a password could show once a job runs: the captured logs, and what Flink's REST API (the
 * web UI's source) shows about the job and the cluster configuration. {@link #find} names every
 * place that holds one of the secrets.
 */
final class SecretScan {

    /** The REST resources that show configuration: the job's, the JobManager's, and the job itself. */
    private static final List<String> RESOURCES = List.of(
            "/jobs/%s/config", "/jobs/%s/jobmanager/config", "/jobmanager/config", "/jobs/%s", "/jobs/%s/exceptions");

    private final Map<String, String> sources = new LinkedHashMap<>();

    /** Collects the logs captured so far and the REST resources of {@code job}. */
    static SecretScan of(String logs, MiniCluster cluster, JobID job) throws Exception {
        SecretScan scan = new SecretScan();
        scan.sources.put("captured logs", logs);
        URI rest = cluster.getRestAddress().get();
        HttpClient http = HttpClient.newHttpClient();
        for (String resource : RESOURCES) {
            String path = String.format(resource, job);
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(rest.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
            scan.sources.put("REST " + path, response.body());
        }
        return scan;
    }

    /** Every source, by name, that contains one of the secrets. */
    List<String> find(String... secrets) {
        List<String> found = new ArrayList<>();
        sources.forEach((name, text) -> {
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    found.add(name);
                    return;
                }
            }
        });
        return found;
    }

    String text(String source) {
        return sources.get(source);
    }
}
