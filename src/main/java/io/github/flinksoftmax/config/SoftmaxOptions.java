package io.github.flinksoftmax.config;

import io.github.flinksoftmax.format.FormatSettings;
import io.github.flinksoftmax.format.WireFormat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * Every option of the job, declared once as a Flink {@link ConfigOption} (key, type, default,
 * description) together with what it {@link Allowed allows}. {@code docs/configuration.md}'s
 * table is generated from this list and the files in {@code jobs/} use exactly these keys; Java
 * names follow the keys. Kafka client properties are not declared here: they pass through under
 * the {@link #KAFKA_PREFIX} prefixes. Choices are enums whose {@code toString} is the value users
 * write; Flink parses them case-insensitively by that string.
 */
public final class SoftmaxOptions {

    /** Kafka client properties for both the source and the sinks, such as {@code kafka.bootstrap.servers}. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** Kafka client properties for the source (consumer) only. */
    public static final String KAFKA_SOURCE_PREFIX = "kafka.source.";
    /** Kafka client properties for the sinks (producers) only. */
    public static final String KAFKA_SINK_PREFIX = "kafka.sink.";

    // filled by declare(), in declaration order, which is the order of the docs table
    private static final Map<String, ConfigOption<?>> BY_KEY = new LinkedHashMap<>();
    private static final Map<ConfigOption<?>, Allowed<?>> ALLOWED = new LinkedHashMap<>();

    public static final ConfigOption<String> JOB_NAME = declare(
            ConfigOptions.key("job.name").stringType().defaultValue("flink-softmax")
                    .withDescription("Flink job name; also the default consumer group and the base of the "
                            + "transactional-id prefix, so two jobs on one cluster need different names."),
            Allowed.text("a non-empty string"));

    public static final ConfigOption<String> INPUT_TOPIC = declare(
            ConfigOptions.key("input.topic").stringType().noDefaultValue()
                    .withDescription("Topic the logits are read from."),
            Allowed.text("a topic name (required)"));

    public static final ConfigOption<String> OUTPUT_TOPIC = declare(
            ConfigOptions.key("output.topic").stringType().noDefaultValue()
                    .withDescription("Topic the distributions are written to."),
            Allowed.text("a topic name (required)"));

    public static final ConfigOption<String> DEAD_LETTER_TOPIC = declare(
            ConfigOptions.key("dead-letter.topic").stringType().noDefaultValue()
                    .withDescription("Topic for records that cannot be processed; defaults to "
                            + "`<input.topic>.dead-letter`."),
            Allowed.text("a topic name"));

    public static final ConfigOption<Boolean> DEAD_LETTER_INCLUDE_STACKTRACE = declare(
            ConfigOptions.key("dead-letter.include-stacktrace").booleanType().defaultValue(false)
                    .withDescription("Add the header `__connect.errors.exception.stacktrace` to each dead letter, "
                            + "as Kafka Connect does. The job's own verdicts carry only the exception's line "
                            + "(they are made without stack frames); unforeseen errors carry the full trace."),
            Allowed.bool());

    public static final ConfigOption<StartingOffsets> INPUT_STARTING_OFFSETS = declare(
            ConfigOptions.key("input.starting-offsets")
                    .enumType(StartingOffsets.class).defaultValue(StartingOffsets.COMMITTED)
                    .withDescription("Where a job without a checkpoint starts reading: the group's committed offsets "
                            + "(falling back to earliest), earliest or latest. A restore from a checkpoint or "
                            + "savepoint always uses its offsets."),
            Allowed.oneOf(StartingOffsets.class));

    public static final ConfigOption<WireFormat> FORMAT = declare(
            ConfigOptions.key("format").enumType(WireFormat.class).defaultValue(WireFormat.JSON)
                    .withDescription("Wire format of input records, and of output records unless `output.format` "
                            + "is set."),
            Allowed.oneOf(WireFormat.class));

    public static final ConfigOption<WireFormat> OUTPUT_FORMAT = declare(
            ConfigOptions.key("output.format").enumType(WireFormat.class).noDefaultValue()
                    .withDescription("Wire format of output records when it differs from the input's; unset writes "
                            + "`format`. What carries across formats is in docs/formats.md."),
            Allowed.oneOf(WireFormat.class));

    public static final ConfigOption<String> JSON_LOGITS_POINTER = declare(
            ConfigOptions.key("json.logits-pointer").stringType().defaultValue(FormatSettings.DEFAULTS.logitsPointer())
                    .withDescription("Where the logits sit when a `json` input record is an object; other fields "
                            + "pass through."),
            new Allowed<>("String", "a JSON pointer to an object member, such as /logits or /outputs/scores",
                    SoftmaxOptions::isObjectPointer));

    public static final ConfigOption<String> OIP_INPUT_TENSOR = declare(
            ConfigOptions.key("oip.input-tensor").stringType().noDefaultValue()
                    .withDescription("Which output tensor of an `oip-v2` response holds the logits; unset takes the "
                            + "first."),
            Allowed.text("a tensor name"));

    public static final ConfigOption<String> OIP_OUTPUT_TENSOR = declare(
            ConfigOptions.key("oip.output-tensor").stringType().defaultValue(FormatSettings.DEFAULTS.oipOutputTensor())
                    .withDescription("Name of the tensor the `oip-v2` output carries the values in, whatever "
                            + "`softmax.activation` makes them (probabilities, log-probabilities or scores)."),
            Allowed.text("a tensor name"));

    public static final ConfigOption<Integer> FLOAT32LE_CLASSES = declare(
            ConfigOptions.key("float32le.classes").intType().defaultValue(FormatSettings.DEFAULTS.float32leClasses())
                    .withDescription("Classes per row K for `float32le` input; 0 takes K from a `shape` header, "
                            + "else the whole value is one row."),
            Allowed.range(0, Integer.MAX_VALUE));

    public static final ConfigOption<Double> SOFTMAX_BASE = declare(
            ConfigOptions.key("softmax.base").doubleType().noDefaultValue()
                    .withDescription("Base b of `b^z_i / sum_j b^z_j`; default e. Below 1 favours the smallest inputs; "
                            + "1 gives the uniform distribution. Not together with `softmax.temperature`."),
            Allowed.positive());

    public static final ConfigOption<Double> SOFTMAX_TEMPERATURE = declare(
            ConfigOptions.key("softmax.temperature").doubleType().noDefaultValue()
                    .withDescription("Temperature T: `softmax(z / T)`, the same as base `e^(1/T)`. Not together with "
                            + "`softmax.base`."),
            Allowed.positive());

    public static final ConfigOption<Activation> SOFTMAX_ACTIVATION = declare(
            ConfigOptions.key("softmax.activation").enumType(Activation.class).defaultValue(Activation.SOFTMAX)
                    .withDescription("What each row becomes: softmax probabilities; log-softmax, the log-probabilities "
                            + "computed directly (masked entries are -Infinity); sigmoid, an independent probability "
                            + "per class (multi-label, see `sigmoid.thresholds`); none, the scores passed through. "
                            + "Replaces `softmax.output`."),
            Allowed.oneOf(Activation.class));

    public static final ConfigOption<List<Double>> SIGMOID_THRESHOLDS = declare(
            ConfigOptions.key("sigmoid.thresholds").doubleType().asList().noDefaultValue()
                    .withDescription("With `softmax.activation: sigmoid` only: add the classes whose probability is "
                            + "strictly above their threshold to each row. One number for every class, or a list "
                            + "with one per class (as long as the labels, when they are configured)."),
            Allowed.probabilities());

    public static final ConfigOption<Kernel> SOFTMAX_KERNEL = declare(
            ConfigOptions.key("softmax.kernel").enumType(Kernel.class).defaultValue(Kernel.AUTO)
                    .withDescription("Softmax kernel: the vector kernel when `jdk.incubator.vector` is present (auto), "
                            + "or forced."),
            Allowed.oneOf(Kernel.class));

    public static final ConfigOption<Integer> SOFTMAX_MAX_LENGTH = declare(
            ConfigOptions.key("softmax.max-length").intType().defaultValue(FormatSettings.DEFAULTS.maxLength())
                    .withDescription("Most logits one record may hold (all rows together); longer records are "
                            + "dead-lettered as `too-long`."),
            Allowed.range(1, Integer.MAX_VALUE));

    public static final ConfigOption<MemorySize> SOFTMAX_MAX_RECORD_BYTES = declare(
            ConfigOptions.key("softmax.max-record-bytes").memoryType().defaultValue(MemorySize.ofMebiBytes(1))
                    .withDescription("Largest Kafka record the job reads or writes (key, value, headers and framing, "
                            + "as the producer counts it); larger inputs and outputs are dead-lettered as `too-long`. "
                            + "The sinks' `max.request.size`; topics' `max.message.bytes` must be at least this."),
            Allowed.bytes(MemorySize.parse("1kb"), MemorySize.parse("1gb")));

    public static final ConfigOption<String> MODEL_FILE = declare(
            ConfigOptions.key("model.file").stringType().noDefaultValue()
                    .withDescription("A linear model to score each input with: records then carry feature vectors x, "
                            + "and the activation runs on W x + b (multinomial logistic regression). `.json` "
                            + "(scikit-learn's coef, intercept, classes, version), `.csv` (one line per class: "
                            + "intercept then the weights) or `.npy` (coef_, with `model.intercept-file`); read when "
                            + "the job is submitted. See docs/logistic-regression.md."),
            Allowed.text("a .json, .csv or .npy file path"));

    public static final ConfigOption<String> MODEL_TOPIC = declare(
            ConfigOptions.key("model.topic").stringType().noDefaultValue()
                    .withDescription("A compacted topic of JSON models (as `model.file`'s JSON, with a `version`): each "
                            + "new one is used from then on without a restart, each record is scored by exactly one "
                            + "version, and a malformed one is logged, counted (`softmax.modelErrors`) and ignored. "
                            + "With `model.file` too, that file is the model until the first one arrives; without, "
                            + "records before it are dead-lettered as `no-model`."),
            Allowed.text("a topic name"));

    public static final ConfigOption<String> MODEL_INTERCEPT_FILE = declare(
            ConfigOptions.key("model.intercept-file").stringType().noDefaultValue()
                    .withDescription("With a `.npy` `model.file` only: the `.npy` file of the intercept (K values)."),
            Allowed.text("a .npy file path"));

    public static final ConfigOption<String> MODEL_VERSION = declare(
            ConfigOptions.key("model.version").stringType().noDefaultValue()
                    .withDescription("The version output records name (header `softmax.model-version`); defaults to "
                            + "the JSON model's `version`, else the file name and the start of its SHA-256."),
            Allowed.text("a non-empty string"));

    public static final ConfigOption<Integer> POSTPROCESS_TOP_K = declare(
            ConfigOptions.key("postprocess.top-k").intType().defaultValue(0)
                    .withDescription("Add the k classes with the largest values (index, value, label) to each row: "
                            + "probabilities, or the scores with `softmax.activation: none`; 0 for none."),
            Allowed.range(0, 1_000));

    public static final ConfigOption<List<String>> POSTPROCESS_LABELS = declare(
            ConfigOptions.key("postprocess.labels").stringType().asList().noDefaultValue()
                    .withDescription("Class names by index for top-k, argmax and the classes above threshold. Not "
                            + "together with `postprocess.labels-file`."),
            Allowed.list());

    public static final ConfigOption<String> POSTPROCESS_LABELS_FILE = declare(
            ConfigOptions.key("postprocess.labels-file").stringType().noDefaultValue()
                    .withDescription("A UTF-8 file with one class name per line, read when the job is submitted."),
            Allowed.text("a file path"));

    public static final ConfigOption<Boolean> POSTPROCESS_ARGMAX = declare(
            ConfigOptions.key("postprocess.argmax").booleanType().defaultValue(false)
                    .withDescription("Add the index (and label) of the class with the largest value: the most probable, "
                            + "or the highest score with `softmax.activation: none`."),
            Allowed.bool());

    public static final ConfigOption<Boolean> POSTPROCESS_ENTROPY = declare(
            ConfigOptions.key("postprocess.entropy").booleanType().defaultValue(false)
                    .withDescription("Add the entropy of each distribution, in nats. Only with `softmax.activation` "
                            + "softmax or log-softmax: sigmoid and none give no distribution."),
            Allowed.bool());

    public static final ConfigOption<Boolean> POSTPROCESS_MARGIN = declare(
            ConfigOptions.key("postprocess.margin").booleanType().defaultValue(false)
                    .withDescription("Add the margin: the largest value minus the second largest (probabilities, or the "
                            + "scores with `softmax.activation: none`)."),
            Allowed.bool());

    public static final ConfigOption<Delivery> DELIVERY_GUARANTEE = declare(
            ConfigOptions.key("delivery.guarantee").enumType(Delivery.class).defaultValue(Delivery.EXACTLY_ONCE)
                    .withDescription("exactly-once writes in Kafka transactions committed on checkpoints (readers use "
                            + "read_committed); at-least-once writes at once and may repeat records after a failure."),
            Allowed.oneOf(Delivery.class));

    public static final ConfigOption<String> DELIVERY_TRANSACTIONAL_ID_PREFIX = declare(
            ConfigOptions.key("delivery.transactional-id-prefix").stringType().noDefaultValue()
                    .withDescription("Prefix of the sinks' transactional ids; defaults to `job.name`. Keep it stable "
                            + "across restarts and unique per job."),
            Allowed.text("a string"));

    public static final ConfigOption<Duration> DELIVERY_TRANSACTION_TIMEOUT = declare(
            ConfigOptions.key("delivery.transaction-timeout").durationType().defaultValue(Duration.ofMinutes(10))
                    .withDescription("Kafka transaction timeout of the sinks; must stay below the broker's "
                            + "`transaction.max.timeout.ms` (15 min by default) and above the longest expected "
                            + "outage."),
            Allowed.positiveDuration());

    public static final ConfigOption<TransactionNaming> DELIVERY_TRANSACTION_NAMING = declare(
            ConfigOptions.key("delivery.transaction-naming").enumType(TransactionNaming.class)
                    .defaultValue(TransactionNaming.POOLING)
                    .withDescription("How the exactly-once sinks name their Kafka transactions. pooling reuses a few "
                            + "transactional ids per subtask and sink. incrementing takes a new one at every checkpoint, "
                            + "and the broker keeps each for `transactional.id.expiration.ms` (7 days by default): at a "
                            + "500 ms checkpoint interval, 4 more a second per subtask (2 sinks). pooling looks for open "
                            + "transactions when a subtask starts, which needs brokers of Kafka 3.0 or later and READ on "
                            + "the output and dead-letter topics (docs/operations.md)."),
            Allowed.oneOf(TransactionNaming.class));

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = declare(
            ConfigOptions.key("checkpoint.interval").durationType().defaultValue(Duration.ofMillis(500))
                    .withDescription("How often Flink checkpoints; with exactly-once, also how often output becomes "
                            + "visible, so a result is readable about one interval after its input (p99 0.53 s at "
                            + "500 ms, measured; see docs/benchmarks.md)."),
            Allowed.positiveDuration());

    public static final ConfigOption<Integer> PARALLELISM = declare(
            ConfigOptions.key("parallelism").intType().defaultValue(0)
                    .withDescription("Parallelism of the job; 0 uses the cluster's default."),
            Allowed.range(0, 32_768));

    /**
     * Keys of earlier versions and what replaced them, so a job file that still sets one fails
     * with directions rather than as an unknown key.
     */
    private static final Map<String, String> REPLACED = Map.of("softmax.output",
            "softmax.output was replaced by softmax.activation: probabilities is now softmax, "
                    + "log-probabilities is now log-softmax");

    /** Every declared option, in the order of the docs table. */
    public static final List<ConfigOption<?>> ALL = List.copyOf(BY_KEY.values());

    /** Where a job without a checkpoint starts reading ({@link #INPUT_STARTING_OFFSETS}). */
    public enum StartingOffsets {
        COMMITTED, EARLIEST, LATEST;

        @Override
        public String toString() {
            return userValue(this);
        }
    }

    /**
     * What each row becomes ({@link #SOFTMAX_ACTIVATION}): the kernel's
     * {@link io.github.flinksoftmax.kernel.Activation} under the names users write.
     */
    public enum Activation {
        SOFTMAX, LOG_SOFTMAX, SIGMOID, NONE;

        /** The kernel's activation of the same name. */
        public io.github.flinksoftmax.kernel.Activation kernel() {
            return io.github.flinksoftmax.kernel.Activation.valueOf(name());
        }

        /** Whether rows become a distribution (summing to 1), which entropy needs. */
        public boolean isDistribution() {
            return this == SOFTMAX || this == LOG_SOFTMAX;
        }

        @Override
        public String toString() {
            return userValue(this);
        }
    }

    /** Which softmax kernel runs ({@link #SOFTMAX_KERNEL}); the kernel package takes the value as text. */
    public enum Kernel {
        AUTO, VECTOR, SCALAR;

        @Override
        public String toString() {
            return userValue(this);
        }
    }

    /** How the sinks write ({@link #DELIVERY_GUARANTEE}). */
    public enum Delivery {
        EXACTLY_ONCE, AT_LEAST_ONCE;

        @Override
        public String toString() {
            return userValue(this);
        }
    }

    /** How the exactly-once sinks name their transactions ({@link #DELIVERY_TRANSACTION_NAMING}). */
    public enum TransactionNaming {
        POOLING, INCREMENTING;

        @Override
        public String toString() {
            return userValue(this);
        }
    }

    private SoftmaxOptions() {}

    /** How to replace a key earlier versions had, or {@code null} when {@code key} was never removed. */
    public static String replacement(String key) {
        return REPLACED.get(key);
    }

    /** The option with this key, or {@code null}. */
    public static ConfigOption<?> byKey(String key) {
        return BY_KEY.get(key);
    }

    /** What {@code option} allows; every declared option has an entry. */
    @SuppressWarnings("unchecked")
    static <T> Allowed<T> allowed(ConfigOption<T> option) {
        return (Allowed<T>) ALLOWED.get(option);
    }

    private static <T> ConfigOption<T> declare(ConfigOption<T> option, Allowed<T> allowed) {
        BY_KEY.put(option.key(), option);
        ALLOWED.put(option, allowed);
        return option;
    }

    /** {@code EXACTLY_ONCE} as users write it: {@code exactly-once}. */
    private static String userValue(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static boolean isObjectPointer(String pointer) {
        try {
            // the json format's own check, so a pointer accepted here never fails on a TaskManager
            FormatSettings.DEFAULTS.withLogitsPointer(pointer);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
