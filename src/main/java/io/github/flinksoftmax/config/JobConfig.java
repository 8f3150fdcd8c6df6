package io.github.flinksoftmax.config;

import static io.github.flinksoftmax.config.SoftmaxOptions.*;

import io.github.flinksoftmax.format.FormatSettings;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The immutable, validated configuration of one job: every declared option parsed (or its
 * default), the Kafka client pass-through properties, and the values derived from them (beta,
 * topics, labels). Building it is the only place configuration is checked, so an invalid job
 * never reaches the cluster. It is {@link Serializable} because the operators carry it.
 */
public final class JobConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, Serializable> values;
    private final Map<String, String> kafkaCommon;
    private final Map<String, String> kafkaSource;
    private final Map<String, String> kafkaSink;
    private final List<String> labels;

    private JobConfig(Map<String, Serializable> values, Map<String, String> kafkaCommon,
            Map<String, String> kafkaSource, Map<String, String> kafkaSink, List<String> labels) {
        this.values = values;
        this.kafkaCommon = kafkaCommon;
        this.kafkaSource = kafkaSource;
        this.kafkaSink = kafkaSink;
        this.labels = labels;
    }

    /**
     * Parses and validates raw values (from YAML and {@code --set}) keyed by option key.
     *
     * @throws ConfigException for an unknown key, an invalid value, a missing required key or
     *     options that contradict each other; the message names the key and what is allowed
     */
    public static JobConfig of(Map<String, ?> raw) {
        Map<String, Serializable> values = new HashMap<>();
        Map<String, String> common = new TreeMap<>();
        Map<String, String> source = new TreeMap<>();
        Map<String, String> sink = new TreeMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key.startsWith(KAFKA_SOURCE_PREFIX)) {
                source.put(key.substring(KAFKA_SOURCE_PREFIX.length()), kafkaValue(key, value));
            } else if (key.startsWith(KAFKA_SINK_PREFIX)) {
                sink.put(key.substring(KAFKA_SINK_PREFIX.length()), kafkaValue(key, value));
            } else if (key.startsWith(KAFKA_PREFIX)) {
                common.put(key.substring(KAFKA_PREFIX.length()), kafkaValue(key, value));
            } else {
                Option<?> option = SoftmaxOptions.byKey(key);
                if (option == null) {
                    throw new ConfigException(String.format(
                            "Unknown key '%s': allowed keys are %s, and Kafka client properties under '%s', '%s' or '%s'",
                            key, ALL.stream().map(Option::key).collect(Collectors.joining(", ")),
                            KAFKA_PREFIX, KAFKA_SOURCE_PREFIX, KAFKA_SINK_PREFIX));
                }
                if (value != null) {
                    values.put(key, option.parse(value));
                }
            }
        }
        requireKey(values, INPUT_TOPIC);
        requireKey(values, OUTPUT_TOPIC);
        if (!common.containsKey("bootstrap.servers") && !(source.containsKey("bootstrap.servers")
                && sink.containsKey("bootstrap.servers"))) {
            throw new ConfigException("Missing required key 'kafka.bootstrap.servers': allowed: host:port[,host:port...]");
        }
        exclusive(values, BASE, TEMPERATURE);
        exclusive(values, LABELS, LABELS_FILE);
        JobConfig config = new JobConfig(values, common, source, sink, loadLabels(values));
        config.requireRequestSizeFitsRecordLimit();
        config.formatSettings(); // fails here, on the client, rather than in open() on every TaskManager
        return config;
    }

    /**
     * A producer limit below the job's record limit would refuse records the operator lets
     * through, failing the job again on the same record after every restart.
     */
    private void requireRequestSizeFitsRecordLimit() {
        String set = kafkaSinkProperties().getProperty("max.request.size");
        if (set == null) {
            return;
        }
        int limit = get(SoftmaxOptions.MAX_RECORD_BYTES);
        long requestSize;
        try {
            requestSize = Long.parseLong(set.strip());
        } catch (NumberFormatException e) {
            requestSize = -1;
        }
        if (requestSize < limit) {
            String key = kafkaSink.containsKey("max.request.size") ? KAFKA_SINK_PREFIX + "max.request.size"
                    : KAFKA_PREFIX + "max.request.size";
            throw new ConfigException(String.format(
                    "Invalid value '%s' for key '%s': allowed: an integer >= %d (%s); or leave it unset,"
                            + " the job sets it to %s", set, key, limit, SoftmaxOptions.MAX_RECORD_BYTES.key(),
                    SoftmaxOptions.MAX_RECORD_BYTES.key()));
        }
    }

    private static String kafkaValue(String key, Object value) {
        if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new ConfigException("Invalid value for key '" + key + "': allowed: a single string, number or boolean");
        }
        return String.valueOf(value);
    }

    private static void requireKey(Map<String, Serializable> values, Option<?> option) {
        if (!values.containsKey(option.key())) {
            throw new ConfigException(String.format(
                    "Missing required key '%s': allowed: %s", option.key(), option.allowed()));
        }
    }

    private static void exclusive(Map<String, Serializable> values, Option<?> a, Option<?> b) {
        if (values.containsKey(a.key()) && values.containsKey(b.key())) {
            throw new ConfigException(String.format(
                    "Keys '%s' and '%s' are both set: allowed: at most one of them", a.key(), b.key()));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> loadLabels(Map<String, Serializable> values) {
        Object inline = values.get(LABELS.key());
        if (inline != null) {
            return Collections.unmodifiableList(new ArrayList<>((List<String>) inline));
        }
        Object file = values.get(LABELS_FILE.key());
        if (file == null) {
            return List.of();
        }
        try {
            // read on the client, so TaskManagers need no copy of the file
            return Files.readAllLines(Path.of((String) file), StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(String.format(
                    "Invalid value '%s' for key '%s': allowed: a readable UTF-8 file, one label per line (%s)",
                    file, LABELS_FILE.key(), e), e);
        }
    }

    /** The value of an option, or its default ({@code null} when it has none). */
    @SuppressWarnings("unchecked")
    public <T extends Serializable> T get(Option<T> option) {
        Serializable v = values.get(option.key());
        return v != null ? (T) v : option.defaultValue();
    }

    /** Whether the option was set explicitly. */
    public boolean isSet(Option<?> option) {
        return values.containsKey(option.key());
    }

    /** {@code ln(base)}: the scale applied to every logit before the exponential. */
    public float beta() {
        if (isSet(TEMPERATURE)) {
            return (float) (1.0 / get(TEMPERATURE));
        }
        if (isSet(BASE)) {
            return (float) Math.log(get(BASE));
        }
        return 1f;
    }

    public boolean logOutput() {
        return get(OUTPUT).equals("log-probabilities");
    }

    public boolean exactlyOnce() {
        return get(DELIVERY).equals("exactly-once");
    }

    public String deadLetterTopic() {
        return isSet(DEAD_LETTER_TOPIC) ? get(DEAD_LETTER_TOPIC) : get(INPUT_TOPIC) + ".dead-letter";
    }

    public String transactionalIdPrefix() {
        return isSet(TRANSACTIONAL_ID_PREFIX) ? get(TRANSACTIONAL_ID_PREFIX) : get(JOB_NAME);
    }

    public String groupId() {
        String explicit = kafkaSource.getOrDefault("group.id", kafkaCommon.get("group.id"));
        return explicit != null ? explicit : get(JOB_NAME);
    }

    public List<String> labels() {
        return labels;
    }

    public Extras extras() {
        return new Extras(get(TOP_K), get(ARGMAX), get(ENTROPY), get(MARGIN), new Labels(labels));
    }

    /**
     * The settings the wire formats take.
     *
     * @throws ConfigException when the formats reject a value, naming the key
     */
    public FormatSettings formatSettings() {
        try {
            return new FormatSettings(get(MAX_LENGTH), get(JSON_POINTER),
                    isSet(OIP_INPUT_TENSOR) ? get(OIP_INPUT_TENSOR) : "", get(OIP_OUTPUT_TENSOR), get(FLOAT32_CLASSES));
        } catch (IllegalArgumentException e) {
            // the only value the formats check beyond the options' own validation is the pointer syntax
            throw new ConfigException(String.format("Invalid value '%s' for key '%s': allowed: %s (%s)",
                    get(JSON_POINTER), JSON_POINTER.key(), JSON_POINTER.allowed(), e.getMessage()), e);
        }
    }

    /** Kafka consumer properties: {@code kafka.*} overlaid with {@code kafka.source.*}. */
    public Properties kafkaSourceProperties() {
        return overlay(kafkaCommon, kafkaSource);
    }

    /** Kafka producer properties: {@code kafka.*} overlaid with {@code kafka.sink.*}. */
    public Properties kafkaSinkProperties() {
        return overlay(kafkaCommon, kafkaSink);
    }

    private static Properties overlay(Map<String, String> base, Map<String, String> specific) {
        Properties p = new Properties();
        p.putAll(base);
        p.putAll(specific);
        return p;
    }

    /** The explicitly set options (not the Kafka ones, which may hold secrets), for logging. */
    @Override
    public String toString() {
        return new TreeMap<>(values).toString();
    }
}
