package io.github.flinksoftmax.security;

import static org.assertj.core.api.Assertions.assertThat;

import static io.github.flinksoftmax.testing.Records.record;
import static io.github.flinksoftmax.testing.Records.utf8;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.Records;
import io.github.flinksoftmax.testing.ReferenceSoftmax;
import io.github.flinksoftmax.testing.SecuredKafka;
import io.github.flinksoftmax.testing.TestJobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One secured run's topics, its job configuration and its checks: topics made by the super
 * user, the job's principal granted exactly what the job needs, secrets handed to the job only
 * as {@code ${file:...}} or {@code ${dir:...}} references that Kafka's config providers resolve
 * inside each client, valid and bad JSON records in, distributions and dead letters checked out.
 */
final class SecuredJobs {

    static final int VALID = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    final String jobName = "sec-" + UUID.randomUUID().toString().substring(0, 8);
    final String in;
    final String out;
    final String dlq;
    private final SecuredKafka kafka;

    SecuredJobs(SecuredKafka kafka, String name) throws Exception {
        this.kafka = kafka;
        List<String> t = KafkaBroker.createTopics(kafka.admin(), "sec-" + name, 1, "in", "out", "dlq");
        in = t.get(0);
        out = t.get(1);
        dlq = t.get(2);
    }

    /**
     * Writes {@code secrets} to a properties file in {@code dir} and returns the
     * {@code ${file:...}} reference of each key, for a job to carry instead of the values.
     */
    static Map<String, String> secretsFile(Path dir, Map<String, String> secrets) throws Exception {
        Path file = dir.resolve("kafka-secrets.properties");
        StringBuilder text = new StringBuilder();
        Map<String, String> refs = new HashMap<>();
        for (Map.Entry<String, String> e : secrets.entrySet()) {
            text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
            refs.put(e.getKey(), "${file:" + file + ":" + e.getKey() + "}");
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return refs;
    }

    /**
     * Writes {@code secret} to the file {@code name} in {@code dir}, as a mounted Kubernetes secret
     * holds it, and returns its {@code ${dir:...}} reference.
     */
    static String secretInDirectory(Path dir, String name, String secret) throws Exception {
        Files.writeString(dir.resolve(name), secret, StandardCharsets.UTF_8);
        return "${dir:" + dir + ":" + name + "}";
    }

    /** The job configuration: {@code client} under {@code kafka.} with the file and directory providers enabled. */
    JobConfig config(Map<String, Object> client) {
        return config(client, Map.of());
    }

    /** {@link #config(Map)} with more job {@code options}. */
    JobConfig config(Map<String, Object> client, Map<String, String> options) {
        Map<String, Object> raw = new HashMap<>(options);
        client.forEach((k, v) -> raw.put("kafka." + k, v));
        raw.put("kafka.config.providers", "file,dir");
        raw.put("kafka.config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        raw.put("kafka.config.providers.dir.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        raw.put("job.name", jobName);
        return TestJobs.config((String) client.get("bootstrap.servers"), in, out, dlq, raw);
    }

    /** {@link #VALID} valid records and one that is not JSON, written by the super user. */
    void produceInput() {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < VALID; i++) {
            records.add(record(in, "k" + i, utf8(JSON.valueToTree(logits(i)).toString())));
        }
        records.add(record(in, "bad", utf8("[1.0, 2.0")));
        KafkaBroker.produce(kafka.admin(), records);
    }

    /** Asserts every distribution arrived, committed and correct, and the bad record was dead-lettered. */
    void assertOutput() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> got =
                KafkaBroker.read(kafka.admin(), out, true, VALID, Duration.ofMillis(500), Duration.ofSeconds(60));
        assertThat(got).hasSize(VALID);
        for (ConsumerRecord<byte[], byte[]> r : got) {
            int i = Integer.parseInt(Records.string(r.key()).substring(1));
            JsonNode p = JSON.readTree(r.value()).get("probabilities");
            double[] expected = ReferenceSoftmax.softmax(logits(i), 1.0);
            assertThat(p).hasSize(expected.length);
            for (int j = 0; j < expected.length; j++) {
                Records.assertClose("p" + j + " of k" + i, p.get(j).floatValue(), expected[j]);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> dead =
                KafkaBroker.read(kafka.admin(), dlq, true, 1, Duration.ofMillis(500), Duration.ofSeconds(60));
        assertThat(dead).extracting(r -> Records.string(r.key())).containsExactly("bad");
    }

    static float[] logits(int i) {
        return new float[] {i, 0.5f * i, -1f, 2f};
    }
}
