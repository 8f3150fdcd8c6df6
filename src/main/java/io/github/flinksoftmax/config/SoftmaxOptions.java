package io.github.flinksoftmax.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every option of the job, declared once: key, type, default, description and validation. The
 * README's option table and the files in {@code jobs/} use exactly these keys, and a test keeps
 * the README equal to this list. Kafka client properties are not declared here: they pass
 * through under the {@link #KAFKA_PREFIX} prefixes.
 */
public final class SoftmaxOptions {

    /** Kafka client properties for both the source and the sinks, such as {@code kafka.bootstrap.servers}. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** Kafka client properties for the source (consumer) only. */
    public static final String KAFKA_SOURCE_PREFIX = "kafka.source.";
    /** Kafka client properties for the sinks (producers) only. */
    public static final String KAFKA_SINK_PREFIX = "kafka.sink.";

    public static final Option<String> JOB_NAME = Option.string("job.name", "flink-softmax",
            "a non-empty string",
            "Flink job name; also the default consumer group and the base of the transactional-id prefix, "
                    + "so two jobs on one cluster need different names.");

    public static final Option<String> INPUT_TOPIC = Option.string("input.topic", null,
            "a topic name (required)", "Topic the logits are read from.");

    public static final Option<String> OUTPUT_TOPIC = Option.string("output.topic", null,
            "a topic name (required)", "Topic the distributions are written to.");

    public static final Option<String> DEAD_LETTER_TOPIC = Option.string("dead-letter.topic", null,
            "a topic name", "Topic for records that cannot be processed; defaults to `<input.topic>.dead-letter`.");

    public static final Option<String> STARTING_OFFSETS = Option.choice("input.starting-offsets", "committed",
            "Where a job without a checkpoint starts reading: the group's committed offsets (falling back to "
                    + "earliest), earliest or latest. A restore from a checkpoint or savepoint always uses its offsets.",
            "committed", "earliest", "latest");

    public static final Option<String> FORMAT = Option.choice("format", "json",
            "Wire format of input and output records.", "json", "oip-v2", "float32le");

    public static final Option<String> JSON_POINTER = Option.string("json.logits-pointer", "/logits",
            "a JSON pointer to an object member, such as /logits or /outputs/scores", "Where the logits sit when a `json` record is an object; other fields pass through.");

    public static final Option<String> OIP_INPUT_TENSOR = Option.string("oip.input-tensor", null,
            "a tensor name", "Which output tensor of an `oip-v2` response holds the logits; unset takes the first.");

    public static final Option<String> OIP_OUTPUT_TENSOR = Option.string("oip.output-tensor", "probabilities",
            "a tensor name", "Name of the tensor the `oip-v2` output carries the distribution in.");

    public static final Option<Integer> FLOAT32_CLASSES = Option.integer("float32le.classes", 0, 0, Integer.MAX_VALUE,
            "Classes per row K for `float32le`; 0 takes K from a `shape` header, else the whole value is one row.");

    public static final Option<Double> BASE = Option.positive("softmax.base", null,
            "Base b of `b^z_i / sum_j b^z_j`; default e. Below 1 favours the smallest inputs; 1 gives the "
                    + "uniform distribution. Not together with `softmax.temperature`.");

    public static final Option<Double> TEMPERATURE = Option.positive("softmax.temperature", null,
            "Temperature T: `softmax(z / T)`, the same as base `e^(1/T)`. Not together with `softmax.base`.");

    public static final Option<String> OUTPUT = Option.choice("softmax.output", "probabilities",
            "Write probabilities, or log-probabilities computed directly (masked entries are -Infinity).",
            "probabilities", "log-probabilities");

    public static final Option<String> KERNEL = Option.choice("softmax.kernel", "auto",
            "Softmax kernel: the vector kernel when `jdk.incubator.vector` is present (auto), or forced.",
            "auto", "vector", "scalar");

    public static final Option<Integer> MAX_LENGTH = Option.integer("softmax.max-length", 2_097_152, 1, Integer.MAX_VALUE,
            "Most logits one record may hold (all rows together); longer records are dead-lettered as `too-long`.");

    public static final Option<Integer> MAX_RECORD_BYTES = Option.integer("softmax.max-record-bytes", 1_048_576,
            1_024, 1_073_741_824,
            "Largest Kafka record the job reads or writes (key, value, headers and framing, as the producer counts "
                    + "it); larger inputs and outputs are dead-lettered as `too-long`. The sinks' `max.request.size`; "
                    + "topics' `max.message.bytes` must be at least this.");

    public static final Option<Integer> TOP_K = Option.integer("postprocess.top-k", 0, 0, 1_000,
            "Add the k most probable classes (index, probability, label) to each row; 0 for none.");

    public static final Option<ArrayList<String>> LABELS = Option.list("postprocess.labels",
            "Class names by index for top-k and argmax. Not together with `postprocess.labels-file`.");

    public static final Option<String> LABELS_FILE = Option.string("postprocess.labels-file", null,
            "a file path", "A UTF-8 file with one class name per line, read when the job is submitted.");

    public static final Option<Boolean> ARGMAX = Option.flag("postprocess.argmax", false,
            "Add the index (and label) of the most probable class.");

    public static final Option<Boolean> ENTROPY = Option.flag("postprocess.entropy", false,
            "Add the entropy of each distribution, in nats.");

    public static final Option<Boolean> MARGIN = Option.flag("postprocess.margin", false,
            "Add the margin: largest probability minus the second largest.");

    public static final Option<String> DELIVERY = Option.choice("delivery.guarantee", "exactly-once",
            "exactly-once writes in Kafka transactions committed on checkpoints (readers use read_committed); "
                    + "at-least-once writes at once and may repeat records after a failure.",
            "exactly-once", "at-least-once");

    public static final Option<String> TRANSACTIONAL_ID_PREFIX = Option.string("delivery.transactional-id-prefix", null,
            "a string", "Prefix of the sinks' transactional ids; defaults to `job.name`. Keep it stable across "
                    + "restarts and unique per job.");

    public static final Option<Duration> TRANSACTION_TIMEOUT = Option.duration("delivery.transaction-timeout",
            Duration.ofMinutes(10),
            "Kafka transaction timeout of the sinks; must stay below the broker's `transaction.max.timeout.ms` "
                    + "(15 min by default) and above the longest expected outage.");

    public static final Option<Duration> CHECKPOINT_INTERVAL = Option.duration("checkpoint.interval",
            Duration.ofSeconds(10),
            "How often Flink checkpoints; with exactly-once, also how often output becomes visible.");

    public static final Option<Integer> PARALLELISM = Option.integer("parallelism", 0, 0, 32_768,
            "Parallelism of the job; 0 uses the cluster's default.");

    /** Every declared option, in the order of the README table. */
    public static final List<Option<?>> ALL = List.of(
            JOB_NAME, INPUT_TOPIC, OUTPUT_TOPIC, DEAD_LETTER_TOPIC, STARTING_OFFSETS,
            FORMAT, JSON_POINTER, OIP_INPUT_TENSOR, OIP_OUTPUT_TENSOR, FLOAT32_CLASSES,
            BASE, TEMPERATURE, OUTPUT, KERNEL, MAX_LENGTH, MAX_RECORD_BYTES,
            TOP_K, LABELS, LABELS_FILE, ARGMAX, ENTROPY, MARGIN,
            DELIVERY, TRANSACTIONAL_ID_PREFIX, TRANSACTION_TIMEOUT, CHECKPOINT_INTERVAL, PARALLELISM);

    private SoftmaxOptions() {}

    /** The option with this key, or {@code null}. */
    public static Option<?> byKey(String key) {
        for (Option<?> option : ALL) {
            if (option.key().equals(key)) {
                return option;
            }
        }
        return null;
    }
}
