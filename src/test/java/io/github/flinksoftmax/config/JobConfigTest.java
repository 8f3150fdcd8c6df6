package io.github.flinksoftmax.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinksoftmax.format.WireFormat;
import io.github.flinksoftmax.job.SoftmaxJob;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Thresholds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobConfigTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> m = new HashMap<>();
        m.put("kafka.bootstrap.servers", "localhost:9092");
        m.put("input.topic", "logits");
        m.put("output.topic", "probabilities");
        return m;
    }

    static Stream<Arguments> configErrors() {
        return Stream.of(
                Arguments.of("unknown key", Map.of("softmax.temprature", "2"),
                        List.of("softmax.temprature", "allowed keys are", "softmax.temperature", "kafka.")),
                Arguments.of("temperature zero", Map.of("softmax.temperature", "0"),
                        List.of("softmax.temperature", "'0'", "a finite number > 0")),
                Arguments.of("temperature negative", Map.of("softmax.temperature", "-1.5"),
                        List.of("softmax.temperature", "a finite number > 0")),
                Arguments.of("base zero", Map.of("softmax.base", "0"),
                        List.of("softmax.base", "a finite number > 0")),
                Arguments.of("base not a number", Map.of("softmax.base", "e"),
                        List.of("softmax.base", "a finite number > 0")),
                Arguments.of("both base and temperature", Map.of("softmax.base", "2", "softmax.temperature", "2"),
                        List.of("softmax.base", "softmax.temperature", "at most one")),
                Arguments.of("unknown format", Map.of("format", "protobuf"),
                        List.of("'format'", "protobuf", "json, oip-v2, float32le")),
                Arguments.of("unknown output format", Map.of("output.format", "csv"),
                        List.of("'output.format'", "'csv'", "json, oip-v2, float32le")),
                Arguments.of("unknown kernel", Map.of("softmax.kernel", "gpu"),
                        List.of("softmax.kernel", "auto, vector, scalar")),
                Arguments.of("unknown delivery", Map.of("delivery.guarantee", "exactly-twice"),
                        List.of("delivery.guarantee", "exactly-once, at-least-once")),
                Arguments.of("negative top-k", Map.of("postprocess.top-k", "-1"),
                        List.of("postprocess.top-k", "an integer from 0 to 1000")),
                Arguments.of("bad duration", Map.of("checkpoint.interval", "soon"),
                        List.of("checkpoint.interval", "duration")),
                Arguments.of("labels twice", Map.of("postprocess.labels", "a,b", "postprocess.labels-file", "x.txt"),
                        List.of("postprocess.labels", "postprocess.labels-file")),
                Arguments.of("json pointer without slash", Map.of("json.logits-pointer", "logits"),
                        List.of("json.logits-pointer", "'logits'", "a JSON pointer")),
                Arguments.of("sink request size below the record limit", Map.of("kafka.sink.max.request.size", "1000000"),
                        List.of("kafka.sink.max.request.size", "'1000000'", ">= 1048576", "softmax.max-record-bytes")),
                Arguments.of("unknown activation", Map.of("softmax.activation", "relu"),
                        List.of("softmax.activation", "'relu'", "softmax, log-softmax, sigmoid, none")),
                Arguments.of("softmax.output, replaced", Map.of("softmax.output", "log-probabilities"),
                        List.of("softmax.output", "softmax.activation", "log-probabilities is now log-softmax",
                                "probabilities is now softmax")),
                Arguments.of("thresholds without sigmoid", Map.of("sigmoid.thresholds", "0.5"),
                        List.of("sigmoid.thresholds", "softmax.activation: softmax", "only with softmax.activation sigmoid")),
                Arguments.of("thresholds with log-softmax", Map.of("softmax.activation", "log-softmax",
                        "sigmoid.thresholds", List.of(0.5, 0.5)), List.of("sigmoid.thresholds", "log-softmax")),
                Arguments.of("threshold above 1", Map.of("softmax.activation", "sigmoid", "sigmoid.thresholds", "1.5"),
                        List.of("sigmoid.thresholds", "'1.5'", "a number from 0 to 1")),
                Arguments.of("negative threshold in a list", Map.of("softmax.activation", "sigmoid",
                        "sigmoid.thresholds", List.of(0.5, -0.1)), List.of("sigmoid.thresholds", "a number from 0 to 1")),
                Arguments.of("threshold NaN", Map.of("softmax.activation", "sigmoid", "sigmoid.thresholds", "NaN"),
                        List.of("sigmoid.thresholds", "a number from 0 to 1")),
                Arguments.of("threshold not a number", Map.of("softmax.activation", "sigmoid", "sigmoid.thresholds",
                        "high"), List.of("sigmoid.thresholds", "'high'", "a number from 0 to 1")),
                Arguments.of("a threshold per class, but not per label", Map.of("softmax.activation", "sigmoid",
                        "postprocess.labels", "a,b,c", "sigmoid.thresholds", "0.5, 0.6"),
                        List.of("sigmoid.thresholds", "2 thresholds for 3 labels", "one per label (3)")),
                Arguments.of("entropy with sigmoid", Map.of("softmax.activation", "sigmoid", "postprocess.entropy", true),
                        List.of("postprocess.entropy", "softmax.activation: sigmoid", "only with softmax.activation "
                                + "softmax, log-softmax")),
                Arguments.of("entropy with none", Map.of("softmax.activation", "none", "postprocess.entropy", "true"),
                        List.of("postprocess.entropy", "softmax.activation: none", "softmax, log-softmax")),
                Arguments.of("missing labels file", Map.of("postprocess.labels-file", "/nonexistent/labels.txt"),
                        List.of("postprocess.labels-file", "/nonexistent/labels.txt", "readable")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configErrors")
    void configErrorsNameTheKeyAndWhatIsAllowed(String name, Map<String, Object> bad, List<String> mustMention) {
        Map<String, Object> raw = minimal();
        raw.putAll(bad);
        assertThatThrownBy(() -> JobConfig.of(raw))
                .isInstanceOf(ConfigException.class)
                .message().contains(mustMention);
    }

    @Test
    void missingInputTopicIsNamed() {
        Map<String, Object> raw = minimal();
        raw.remove("input.topic");
        assertThatThrownBy(() -> JobConfig.of(raw)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Missing required key 'input.topic'");
    }

    @Test
    void missingBootstrapServersIsNamed() {
        Map<String, Object> raw = minimal();
        raw.remove("kafka.bootstrap.servers");
        assertThatThrownBy(() -> JobConfig.of(raw)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void mainFailsBeforeSubmittingAnything(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "kafka.bootstrap.servers: localhost:1\ninput.topic: a\noutput.topic: b\nformat: xml\n");
        // no Flink cluster exists in this test: reaching the environment would fail differently
        assertThatThrownBy(() -> SoftmaxJob.main(new String[] {"--job", job.toString()}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'format'").hasMessageContaining("json, oip-v2, float32le");
        assertThatThrownBy(() -> SoftmaxJob.main(new String[] {"--job", job.toString(), "--set", "format=json",
                "--set", "softmax.temperature=0"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("softmax.temperature");
    }

    @Test
    void yamlNestedAndFlatKeysAndSetOverrides(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, String.join("\n",
                "kafka:",
                "  bootstrap.servers: broker:9092",
                "  sink:",
                "    linger.ms: 20",
                "input.topic: in",
                "output:",
                "  topic: out",
                "softmax.temperature: 2",
                "postprocess:",
                "  top-k: 3",
                "  labels: [cat, dog, 'tench, Tinca tinca']",
                ""));
        JobConfig config = ConfigLoader.fromArgs("--job", job.toString(), "--set", "postprocess.top-k=5",
                "--set", "kafka.source.group.id=g1");
        assertThat(config.get(SoftmaxOptions.OUTPUT_TOPIC)).isEqualTo("out");
        assertThat(config.get(SoftmaxOptions.POSTPROCESS_TOP_K)).isEqualTo(5);
        assertThat(config.beta()).isEqualTo(0.5f);
        assertThat(config.labels()).containsExactly("cat", "dog", "tench, Tinca tinca");
        assertThat(config.groupId()).isEqualTo("g1");
        assertThat(config.kafkaSinkProperties()).containsEntry("linger.ms", "20")
                .containsEntry("bootstrap.servers", "broker:9092").doesNotContainKey("group.id");
        assertThat(config.kafkaSourceProperties()).containsEntry("group.id", "g1").doesNotContainKey("linger.ms");
        assertThat(config.deadLetterTopic()).isEqualTo("in.dead-letter");
    }

    @Test
    void invalidChoiceMessageNamesTheKeyAndEveryAllowedValue() {
        Map<String, Object> raw = minimal();
        raw.put("format", "xml");
        assertThatThrownBy(() -> JobConfig.of(raw)).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'xml' for key 'format': allowed: json, oip-v2, float32le");
    }

    @Test
    void choicesParseCaseInsensitivelyIntoEnums() {
        Map<String, Object> raw = minimal();
        raw.put("format", "OIP-v2");
        raw.put("delivery.guarantee", " At-Least-Once ");
        raw.put("softmax.activation", "Log-Softmax");
        JobConfig config = JobConfig.of(raw);
        assertThat(config.get(SoftmaxOptions.FORMAT)).isEqualTo(WireFormat.OIP_V2);
        assertThat(config.exactlyOnce()).isFalse();
        assertThat(config.activation()).isEqualTo(Activation.LOG_SOFTMAX);
        assertThat(config.get(SoftmaxOptions.SOFTMAX_KERNEL)).hasToString("auto");
    }

    @Test
    void theOutputFormatIsTheInputFormatUnlessSet() {
        Map<String, Object> raw = minimal();
        raw.put("format", "oip-v2");
        assertThat(JobConfig.of(raw).outputFormat()).isEqualTo(WireFormat.OIP_V2);
        raw.put("output.format", "JSON");
        assertThat(JobConfig.of(raw).outputFormat()).isEqualTo(WireFormat.JSON);
        assertThat(JobConfig.of(raw).get(SoftmaxOptions.FORMAT)).isEqualTo(WireFormat.OIP_V2);
    }

    /** Each format option belongs to one side; none is refused for the format of the other side. */
    @Test
    void everyFormatOptionIsAcceptedWhicheverSideItsFormatIsOn() {
        for (WireFormat in : WireFormat.values()) {
            for (WireFormat out : WireFormat.values()) {
                Map<String, Object> raw = minimal();
                raw.put("format", in.toString());
                raw.put("output.format", out.toString());
                raw.put("json.logits-pointer", "/outputs/scores");
                raw.put("oip.input-tensor", "logits");
                raw.put("oip.output-tensor", "scores");
                raw.put("float32le.classes", 3);
                JobConfig config = JobConfig.of(raw);
                assertThat(config.outputFormat()).isEqualTo(out);
                assertThat(config.formatSettings().oipOutputTensor()).isEqualTo("scores");
            }
        }
    }

    /** float32le.classes describes float32le input; float32le output of another format says its shape itself. */
    @Test
    void theOutputReaderOfFloat32leFromAnotherFormatTakesTheShapeHeader() {
        Map<String, Object> raw = minimal();
        raw.put("format", "json");
        raw.put("output.format", "float32le");
        raw.put("float32le.classes", 3);
        byte[] value = new byte[16]; // four zeros: [2, 2] by the header, not rows of 3
        var out = JobConfig.of(raw).outputReader().read(null, value,
                key -> key.equals("shape") ? "2,2".getBytes(java.nio.charset.StandardCharsets.US_ASCII) : null);
        assertThat(out.classes()).isEqualTo(2);
        assertThat(out.rows()).isEqualTo(2);
    }

    @Test
    void theActivationIsSoftmaxUnlessSetAndEachUserValueNamesTheKernelsActivation() {
        Map<String, Object> raw = minimal();
        assertThat(JobConfig.of(raw).activation()).isEqualTo(Activation.SOFTMAX);
        assertThat(SoftmaxOptions.SOFTMAX_ACTIVATION.defaultValue()).hasToString("softmax");
        Map<String, Activation> byUserValue = Map.of("softmax", Activation.SOFTMAX, "log-softmax",
                Activation.LOG_SOFTMAX, "sigmoid", Activation.SIGMOID, "none", Activation.NONE);
        byUserValue.forEach((value, activation) -> {
            raw.put("softmax.activation", value);
            assertThat(JobConfig.of(raw).activation()).as(value).isEqualTo(activation);
        });
    }

    @Test
    void removedSoftmaxOutputFailsWithItsReplacementWhateverItsValue() {
        Map<String, Object> raw = minimal();
        raw.put("softmax.output", "probabilities");
        assertThatThrownBy(() -> JobConfig.of(raw)).isInstanceOf(ConfigException.class)
                .hasMessage("Removed key 'softmax.output' (set to 'probabilities'): softmax.output was replaced by "
                        + "softmax.activation: probabilities is now softmax, log-probabilities is now log-softmax");
    }

    @Test
    void sigmoidThresholdsAreOneForAllClassesOrOnePerClass() {
        Map<String, Object> raw = minimal();
        raw.put("softmax.activation", "sigmoid");
        assertThat(JobConfig.of(raw).extras().thresholds().isSet()).isFalse();
        raw.put("sigmoid.thresholds", 0.5); // YAML's single number
        Thresholds one = JobConfig.of(raw).extras().thresholds();
        assertThat(one.perClass()).isZero();
        assertThat(one.of(0)).isEqualTo(0.5f);
        assertThat(one.of(999)).isEqualTo(0.5f);
        raw.put("sigmoid.thresholds", List.of(0.25, 1, 0)); // YAML's list, integers included
        raw.put("postprocess.labels", List.of("a", "b", "c"));
        Thresholds each = JobConfig.of(raw).extras().thresholds();
        assertThat(each.perClass()).isEqualTo(3);
        assertThat(new float[] {each.of(0), each.of(1), each.of(2)}).containsExactly(0.25f, 1f, 0f);
        raw.put("sigmoid.thresholds", "0.1, 0.2, 0.3"); // --set's comma-separated text
        assertThat(JobConfig.of(raw).extras().thresholds().of(2)).isEqualTo(0.3f);
    }

    @Test
    void topKArgmaxAndMarginAreAllowedForEveryActivation() {
        for (String activation : List.of("softmax", "log-softmax", "sigmoid", "none")) {
            Map<String, Object> raw = minimal();
            raw.put("softmax.activation", activation);
            raw.put("postprocess.top-k", 3);
            raw.put("postprocess.argmax", true);
            raw.put("postprocess.margin", true);
            Extras extras = JobConfig.of(raw).extras();
            assertThat(extras.topK()).as(activation).isEqualTo(3);
            assertThat(extras.argmax() && extras.margin()).as(activation).isTrue();
        }
    }

    @Test
    void recordBytesTakePlainByteCountsAndUnits() {
        Map<String, Object> raw = minimal();
        assertThat(JobConfig.of(raw).maxRecordBytes()).isEqualTo(1_048_576);
        raw.put("softmax.max-record-bytes", 8_454_144);
        assertThat(JobConfig.of(raw).maxRecordBytes()).isEqualTo(8_454_144);
        raw.put("softmax.max-record-bytes", "2mb");
        assertThat(JobConfig.of(raw).maxRecordBytes()).isEqualTo(2 << 20);
        raw.put("softmax.max-record-bytes", "100");
        assertThatThrownBy(() -> JobConfig.of(raw)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("softmax.max-record-bytes").hasMessageContaining("from 1024 to 1073741824");
    }

    @Test
    void setListsAreCommaSeparatedAndIntegersMayUseUnderscores() {
        JobConfig config = ConfigLoader.fromArgs("--set", "kafka.bootstrap.servers=b:9092", "--set", "input.topic=in",
                "--set", "output.topic=out", "--set", "postprocess.labels=cat, dog", "--set",
                "softmax.max-length=1_000");
        assertThat(config.labels()).containsExactly("cat", "dog");
        assertThat(config.formatSettings().maxLength()).isEqualTo(1_000);
    }

    @Test
    void baseAndTemperatureGiveBeta() {
        Map<String, Object> raw = minimal();
        assertThat(JobConfig.of(raw).beta()).isEqualTo(1f);
        raw.put("softmax.base", "0.5");
        assertThat(JobConfig.of(raw).beta()).isEqualTo((float) Math.log(0.5));
        raw.remove("softmax.base");
        raw.put("softmax.temperature", "4");
        assertThat(JobConfig.of(raw).beta()).isEqualTo(0.25f);
    }

    @Test
    void labelsFileIsReadAtSubmission(@TempDir Path dir) throws Exception {
        Path labels = dir.resolve("labels.txt");
        Files.writeString(labels, "tench\ngoldfish\n\n");
        Map<String, Object> raw = minimal();
        raw.put("postprocess.labels-file", labels.toString());
        assertThat(JobConfig.of(raw).labels()).containsExactly("tench", "goldfish");
    }

    @Test
    void everyShippedJobFileIsValid() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("jobs"))) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertThat(yamls).isNotEmpty();
            for (Path yaml : yamls) {
                JobConfig config = ConfigLoader.fromArgs("--job", yaml.toString());
                assertThat(config.get(SoftmaxOptions.INPUT_TOPIC)).as(yaml.toString()).isNotBlank();
            }
        }
    }

    /** A model that does not parse stops the job on the client, naming the key, the file and the problem. */
    @Test
    void modelFileIsReadAndCheckedAtSubmission(@TempDir Path dir) throws Exception {
        Path model = Files.writeString(dir.resolve("iris.json"), "{\"coef\": [[1, 2], [3, 4], [5, 6]],"
                + " \"intercept\": [0, 0, 0], \"classes\": [\"a\", \"b\", \"c\"], \"version\": \"v1\"}");
        Map<String, Object> raw = minimal();
        raw.put("model.file", model.toString());
        JobConfig config = JobConfig.of(raw);
        assertThat(config.model().version()).isEqualTo("v1");
        assertThat(config.labels()).as("the model's classes label top-k").containsExactly("a", "b", "c");
        raw.put("postprocess.labels", List.of("x", "y", "z"));
        raw.put("model.version", "override");
        assertThat(JobConfig.of(raw).labels()).containsExactly("x", "y", "z");
        assertThat(JobConfig.of(raw).model().version()).isEqualTo("override");
        assertThat(JobConfig.of(minimal()).model()).isNull();

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"coef\": [[1, NaN]], \"intercept\": [0]}");
        Map<String, Object> badRaw = minimal();
        badRaw.put("model.file", bad.toString());
        assertThatThrownBy(() -> JobConfig.of(badRaw)).isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("model.file", bad.toString(), "coef[0][1] is NaN", ".json, .csv or .npy");
    }

    @Test
    void modelOptionsMustFitTheModel(@TempDir Path dir) throws Exception {
        Path model = Files.writeString(dir.resolve("m.json"), "{\"coef\": [[1, 2], [3, 4]], \"intercept\": [0, 0]}");
        Path one = Files.writeString(dir.resolve("one.json"), "{\"coef\": [[1, 2]], \"intercept\": [0]}");
        Map<String, Object> raw = minimal();
        raw.put("model.file", model.toString());
        raw.put("postprocess.labels", List.of("x", "y", "z"));
        assertThatThrownBy(() -> JobConfig.of(raw))
                .hasMessageContainingAll("postprocess.labels", "3 labels for the 2 classes", "one label per class (2)");
        raw.remove("postprocess.labels");
        raw.put("format", "float32le");
        raw.put("float32le.classes", 3);
        assertThatThrownBy(() -> JobConfig.of(raw))
                .hasMessageContainingAll("float32le.classes", "is 3 but the model takes 2 features");
        raw.put("float32le.classes", 2);
        assertThat(JobConfig.of(raw).model().weights().features()).isEqualTo(2);
        raw.put("model.file", one.toString());
        raw.remove("float32le.classes");
        assertThatThrownBy(() -> JobConfig.of(raw))
                .hasMessageContainingAll("softmax.activation", "one class", "sigmoid");
        raw.put("softmax.activation", "sigmoid");
        assertThat(JobConfig.of(raw).model().weights().classes()).isEqualTo(1);
        Map<String, Object> stray = minimal();
        stray.put("model.intercept-file", "b.npy");
        assertThatThrownBy(() -> JobConfig.of(stray))
                .hasMessageContainingAll("model.intercept-file", "without 'model.file'");
    }
}
