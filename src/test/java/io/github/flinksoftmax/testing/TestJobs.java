package io.github.flinksoftmax.testing;

import io.github.flinksoftmax.config.JobConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Job configurations for tests: the shared broker, fresh names, short checkpoints. */
public final class TestJobs {

    private TestJobs() {}

    /**
     * A valid config reading {@code in}, writing {@code out} and {@code dlq}, with fast
     * checkpoints; {@code overrides} are option keys and values as a job file would give them.
     */
    public static JobConfig config(String in, String out, String dlq, Map<String, ?> overrides) {
        return config(KafkaBroker.bootstrapServers(), in, out, dlq, overrides);
    }

    /** {@link #config(String, String, String, Map)} for the broker at {@code bootstrapServers}. */
    public static JobConfig config(String bootstrapServers, String in, String out, String dlq, Map<String, ?> overrides) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("job.name", "test-" + UUID.randomUUID().toString().substring(0, 8));
        raw.put("kafka.bootstrap.servers", bootstrapServers);
        raw.put("input.topic", in);
        raw.put("output.topic", out);
        raw.put("dead-letter.topic", dlq);
        raw.put("input.starting-offsets", "earliest");
        raw.put("checkpoint.interval", "300ms");
        raw.put("parallelism", "1");
        raw.putAll(overrides);
        return JobConfig.of(raw);
    }
}
