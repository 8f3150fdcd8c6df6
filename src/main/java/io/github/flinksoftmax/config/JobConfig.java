package io.github.flinksoftmax.config;

import static io.github.flinksoftmax.config.SoftmaxOptions.*;

import io.github.flinksoftmax.format.FormatSettings;
import io.github.flinksoftmax.format.OutputReader;
import io.github.flinksoftmax.format.WireFormat;
import io.github.flinksoftmax.model.Model;
import io.github.flinksoftmax.model.ModelFiles;
import io.github.flinksoftmax.model.ModelFormatException;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.postprocess.Thresholds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The immutable, validated configuration of one job: the declared options that were set (parsed
 * by Flink's {@link Configuration}), the Kafka client pass-through properties, and the values
 * derived from them (beta, topics, labels, format settings). {@link #of} is the one place
 * configuration is checked, on the client, so an invalid job never reaches the cluster. It stays
 * on the client: operators get small settings objects built from it, never the whole of it.
 */
public final class JobConfig {

    private final Configuration options;
    private final Map<String, String> kafkaCommon;
    private final Map<String, String> kafkaSource;
    private final Map<String, String> kafkaSink;
    private final List<String> labels;
    private final FormatSettings formatSettings;
    /** The linear model of {@code model.file}, or {@code null} for the softmax-only job. */
    private final Model model;

    private JobConfig(Configuration options, Map<String, String> kafkaCommon, Map<String, String> kafkaSource,
            Map<String, String> kafkaSink) {
        this.options = options;
        this.kafkaCommon = kafkaCommon;
        this.kafkaSource = kafkaSource;
        this.kafkaSink = kafkaSink;
        this.model = loadModel();
        this.labels = loadLabels();
        this.formatSettings = new FormatSettings(get(SOFTMAX_MAX_LENGTH), get(JSON_LOGITS_POINTER),
                isSet(OIP_INPUT_TENSOR) ? get(OIP_INPUT_TENSOR) : "", get(OIP_OUTPUT_TENSOR), get(FLOAT32LE_CLASSES));
    }

    /**
     * Parses and validates raw values (from YAML and {@code --set}) keyed by option key.
     *
     * @throws ConfigException for an unknown key, an invalid value, a missing required key or
     *     options that contradict each other; the message names the key and what is allowed
     */
    public static JobConfig of(Map<String, ?> raw) {
        Configuration options = new Configuration();
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
                ConfigOption<?> option = SoftmaxOptions.byKey(key);
                String replacement = SoftmaxOptions.replacement(key);
                if (replacement != null) {
                    throw new ConfigException(String.format("Removed key '%s' (set to '%s'): %s", key, value,
                            replacement));
                }
                if (option == null) {
                    throw new ConfigException(String.format(
                            "Unknown key '%s': allowed keys are %s, and Kafka client properties under '%s', '%s' or '%s'",
                            key, ALL.stream().map(ConfigOption::key).collect(Collectors.joining(", ")),
                            KAFKA_PREFIX, KAFKA_SOURCE_PREFIX, KAFKA_SINK_PREFIX));
                }
                if (value != null) {
                    parse(options, option, value);
                }
            }
        }
        requireKey(options, INPUT_TOPIC);
        requireKey(options, OUTPUT_TOPIC);
        if (!common.containsKey("bootstrap.servers") && !(source.containsKey("bootstrap.servers")
                && sink.containsKey("bootstrap.servers"))) {
            throw new ConfigException("Missing required key 'kafka.bootstrap.servers': allowed: host:port[,host:port...]");
        }
        exclusive(options, SOFTMAX_BASE, SOFTMAX_TEMPERATURE);
        exclusive(options, POSTPROCESS_LABELS, POSTPROCESS_LABELS_FILE);
        JobConfig config = new JobConfig(options, common, source, sink);
        config.requireModelFitsOptions();
        config.requireExtrasFitActivation();
        config.requireRequestSizeFitsRecordLimit();
        return config;
    }

    /** Parses one raw value, checks it against what the option allows and keeps the parsed value. */
    private static <T> void parse(Configuration options, ConfigOption<T> option, Object raw) {
        Allowed<T> allowed = SoftmaxOptions.allowed(option);
        T parsed = convert(options, option, allowed, raw);
        if (parsed == null || !allowed.test().test(parsed)) {
            throw new ConfigException(String.format(
                    "Invalid value '%s' for key '%s': allowed: %s", raw, option.key(), allowed.text()));
        }
        options.set(option, parsed);
    }

    /**
     * Flink's conversion for the option's type, or {@code null} when it fails. YAML gives numbers,
     * booleans and lists, {@code --set} gives text; Flink converts both on {@code get}, once the
     * two ways this job's users have always written lists and integers are turned into its own.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> T convert(Configuration options, ConfigOption<T> option, Allowed<T> allowed, Object raw) {
        Object value = raw instanceof String s ? s.trim() : raw;
        if (value instanceof List<?> items) {
            if (!allowed.isList()) {
                return null;
            }
            value = items.stream().map(String::valueOf).toList();
        } else if (allowed.isList()) {
            value = Arrays.stream(value.toString().split(",")).map(String::trim).toList(); // --set a,b
        } else if (allowed.isInteger()) {
            value = value.toString().replace("_", ""); // 2_097_152, as YAML 1.1 and Java write it
        }
        if (allowed.isNumberList()) {
            // Flink hands a stored list back as it was stored, unconverted, so numbers are parsed here
            try {
                value = ((List<?>) value).stream().map(item -> Double.valueOf(item.toString())).toList();
            } catch (NumberFormatException e) {
                return null;
            }
        }
        options.set((ConfigOption) option, value); // unparsed, as Flink stores a value read from YAML
        try {
            return options.get(option);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Thresholds are probabilities of independent classes, so they belong to sigmoid alone; entropy
     * is a distribution's, which sigmoid and none do not give. Per-class thresholds must match the
     * labels where both say how many classes there are.
     */
    private void requireExtrasFitActivation() {
        Activation activation = get(SOFTMAX_ACTIVATION);
        if (isSet(SIGMOID_THRESHOLDS) && activation != Activation.SIGMOID) {
            throw new ConfigException(String.format(
                    "Key '%s' is set with '%s: %s': allowed: %s only with %s sigmoid", SIGMOID_THRESHOLDS.key(),
                    SOFTMAX_ACTIVATION.key(), activation, SIGMOID_THRESHOLDS.key(), SOFTMAX_ACTIVATION.key()));
        }
        if (get(POSTPROCESS_ENTROPY) && !activation.isDistribution()) {
            throw new ConfigException(String.format(
                    "Key '%s' is true with '%s: %s', which gives no distribution: allowed: %s true only with %s %s, %s",
                    POSTPROCESS_ENTROPY.key(), SOFTMAX_ACTIVATION.key(), activation, POSTPROCESS_ENTROPY.key(),
                    SOFTMAX_ACTIVATION.key(), Activation.SOFTMAX, Activation.LOG_SOFTMAX));
        }
        int perClass = isSet(SIGMOID_THRESHOLDS) ? get(SIGMOID_THRESHOLDS).size() : 0;
        if (perClass > 1 && !labels.isEmpty() && perClass != labels.size()) {
            throw new ConfigException(String.format(
                    "Key '%s' has %d thresholds for %d labels: allowed: one threshold for every class, or one per "
                            + "label (%d)", SIGMOID_THRESHOLDS.key(), perClass, labels.size(), labels.size()));
        }
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
        int limit = maxRecordBytes();
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
                            + " the job sets it to %s", set, key, limit, SOFTMAX_MAX_RECORD_BYTES.key(),
                    SOFTMAX_MAX_RECORD_BYTES.key()));
        }
    }

    private static String kafkaValue(String key, Object value) {
        if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new ConfigException("Invalid value for key '" + key + "': allowed: a single string, number or boolean");
        }
        return String.valueOf(value);
    }

    private static void requireKey(Configuration options, ConfigOption<?> option) {
        if (!options.contains(option)) {
            throw new ConfigException(String.format(
                    "Missing required key '%s': allowed: %s", option.key(), SoftmaxOptions.allowed(option).text()));
        }
    }

    private static void exclusive(Configuration options, ConfigOption<?> a, ConfigOption<?> b) {
        if (options.contains(a) && options.contains(b)) {
            throw new ConfigException(String.format(
                    "Keys '%s' and '%s' are both set: allowed: at most one of them", a.key(), b.key()));
        }
    }

    /**
     * Reads and checks the model on the client, so a model that does not parse stops the job before
     * it is submitted; the parsed model then travels in the job graph.
     */
    private Model loadModel() {
        if (!isSet(MODEL_FILE)) {
            if (isSet(MODEL_INTERCEPT_FILE) || isSet(MODEL_VERSION)) {
                ConfigOption<?> stray = isSet(MODEL_INTERCEPT_FILE) ? MODEL_INTERCEPT_FILE : MODEL_VERSION;
                throw new ConfigException(String.format("Key '%s' is set without '%s': allowed: %s only with %s",
                        stray.key(), MODEL_FILE.key(), stray.key(), MODEL_FILE.key()));
            }
            return null;
        }
        String file = get(MODEL_FILE);
        try {
            return ModelFiles.load(Path.of(file),
                    isSet(MODEL_INTERCEPT_FILE) ? Path.of(get(MODEL_INTERCEPT_FILE)) : null,
                    isSet(MODEL_VERSION) ? get(MODEL_VERSION) : null);
        } catch (ModelFormatException | RuntimeException e) {
            throw new ConfigException(String.format("Invalid value '%s' for key '%s': %s; allowed: %s", file,
                    MODEL_FILE.key(), e.getMessage(), SoftmaxOptions.allowed(MODEL_FILE).text()), e);
        }
    }

    /**
     * The options that count classes or features must agree with the model: labels and per-class
     * thresholds count K, a fixed float32le row length counts D, and softmax over one class is
     * always 1 (a one-row model needs sigmoid).
     */
    private void requireModelFitsOptions() {
        if (model == null) {
            return;
        }
        int k = model.weights().classes();
        int d = model.weights().features();
        if (!labels.isEmpty() && labels.size() != k) {
            ConfigOption<?> key = isSet(POSTPROCESS_LABELS_FILE) ? POSTPROCESS_LABELS_FILE : POSTPROCESS_LABELS;
            throw new ConfigException(String.format("Key '%s' gives %d labels for the %d classes of %s: allowed: "
                    + "one label per class (%d)", key.key(), labels.size(), k, model, k));
        }
        int perClass = isSet(SIGMOID_THRESHOLDS) ? get(SIGMOID_THRESHOLDS).size() : 0;
        if (perClass > 1 && perClass != k) {
            throw new ConfigException(String.format("Key '%s' has %d thresholds for the %d classes of %s: allowed: one "
                    + "threshold, or one per class (%d)", SIGMOID_THRESHOLDS.key(), perClass, k, model, k));
        }
        int fixed = get(FLOAT32LE_CLASSES);
        if (get(FORMAT) == WireFormat.FLOAT32LE && fixed != 0 && fixed != d) {
            throw new ConfigException(String.format("Key '%s' is %d but the model takes %d features: allowed: %d "
                    + "(the row length of the input is the feature count), or 0", FLOAT32LE_CLASSES.key(), fixed, d, d));
        }
        if (k == 1 && get(SOFTMAX_ACTIVATION).isDistribution()) {
            throw new ConfigException(String.format("Key '%s' is %s but %s has one class, whose softmax is always 1: "
                    + "allowed: %s sigmoid (or none) for a one-class model", SOFTMAX_ACTIVATION.key(),
                    get(SOFTMAX_ACTIVATION), model, SOFTMAX_ACTIVATION.key()));
        }
    }

    /** Labels from {@code postprocess.labels}, else its file, else the model's class names. */
    private List<String> loadLabels() {
        if (isSet(POSTPROCESS_LABELS)) {
            return List.copyOf(get(POSTPROCESS_LABELS));
        }
        if (!isSet(POSTPROCESS_LABELS_FILE)) {
            return model == null ? List.of() : model.classes();
        }
        String file = get(POSTPROCESS_LABELS_FILE);
        try {
            // read on the client, so TaskManagers need no copy of the file
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(String.format(
                    "Invalid value '%s' for key '%s': allowed: a readable UTF-8 file, one label per line (%s)",
                    file, POSTPROCESS_LABELS_FILE.key(), e), e);
        }
    }

    /** The value of an option, or its default ({@code null} when it has none). */
    public <T> T get(ConfigOption<T> option) {
        return options.get(option);
    }

    /** Whether the option was set explicitly. */
    public boolean isSet(ConfigOption<?> option) {
        return options.contains(option);
    }

    /** {@code ln(base)}: the scale applied to every logit before the exponential. */
    public float beta() {
        if (isSet(SOFTMAX_TEMPERATURE)) {
            return (float) (1.0 / get(SOFTMAX_TEMPERATURE));
        }
        if (isSet(SOFTMAX_BASE)) {
            return (float) Math.log(get(SOFTMAX_BASE));
        }
        return 1f;
    }

    /** What the kernel turns each row into ({@code softmax.activation}). */
    public io.github.flinksoftmax.kernel.Activation activation() {
        return get(SOFTMAX_ACTIVATION).kernel();
    }

    public boolean exactlyOnce() {
        return get(DELIVERY_GUARANTEE) == Delivery.EXACTLY_ONCE;
    }

    /** {@code softmax.max-record-bytes} in bytes; at most 1 GiB, so it fits the clients' int settings. */
    public int maxRecordBytes() {
        return (int) get(SOFTMAX_MAX_RECORD_BYTES).getBytes();
    }

    public String deadLetterTopic() {
        return isSet(DEAD_LETTER_TOPIC) ? get(DEAD_LETTER_TOPIC) : get(INPUT_TOPIC) + ".dead-letter";
    }

    public String transactionalIdPrefix() {
        return isSet(DELIVERY_TRANSACTIONAL_ID_PREFIX) ? get(DELIVERY_TRANSACTIONAL_ID_PREFIX) : get(JOB_NAME);
    }

    public String groupId() {
        String explicit = kafkaSource.getOrDefault("group.id", kafkaCommon.get("group.id"));
        return explicit != null ? explicit : get(JOB_NAME);
    }

    /** Whether records carry feature vectors for a linear model ({@code model.file} or {@code model.topic}). */
    public boolean scoresWithModel() {
        return model != null || isSet(MODEL_TOPIC);
    }

    /** The linear model of {@code model.file}, or {@code null} when the job applies the activation to logits. */
    public Model model() {
        return model;
    }

    public List<String> labels() {
        return labels;
    }

    public Extras extras() {
        return new Extras(get(POSTPROCESS_TOP_K), get(POSTPROCESS_ARGMAX), get(POSTPROCESS_ENTROPY),
                get(POSTPROCESS_MARGIN), new Labels(labels),
                isSet(SIGMOID_THRESHOLDS) ? Thresholds.of(get(SIGMOID_THRESHOLDS)) : Thresholds.NONE);
    }

    /** The settings the wire formats take, built (and so checked) once, when this config was. */
    public FormatSettings formatSettings() {
        return formatSettings;
    }

    /** The format output records are written in: {@code output.format}, else {@code format}. */
    public WireFormat outputFormat() {
        return isSet(OUTPUT_FORMAT) ? get(OUTPUT_FORMAT) : get(FORMAT);
    }

    /** The reader of this job's output records: its output format, format settings and output type. */
    public OutputReader outputReader() {
        WireFormat output = outputFormat();
        // float32le.classes describes float32le input; output from another format announces its shape in a header
        FormatSettings settings = output == WireFormat.FLOAT32LE && get(FORMAT) != WireFormat.FLOAT32LE
                ? formatSettings.withFloat32leClasses(0) : formatSettings;
        return OutputReader.of(output, settings, activation());
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
        return new TreeMap<>(options.toMap()).toString();
    }
}
