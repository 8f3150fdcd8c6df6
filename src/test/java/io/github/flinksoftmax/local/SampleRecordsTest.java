package io.github.flinksoftmax.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.ConfigLoader;
import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.FormatSettings;
import io.github.flinksoftmax.format.Logits;
import io.github.flinksoftmax.format.LogitsFormat;
import io.github.flinksoftmax.format.Reason;
import io.github.flinksoftmax.format.WireFormat;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.kernel.RowDefect;
import io.github.flinksoftmax.kernel.Softmax;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every job file's samples, judged by the job's own format class and the kernel's row check, as
 * the job judges them: good samples decode into rows of the expected K, bad ones are rejected
 * with the reason the sampler names. Also with the format options the job files leave out (the
 * first OIP output, a configured float32le K), since users change them.
 */
class SampleRecordsTest {

    /** Enough records for every kind of every format (json's all-masked first comes at 111). */
    private static final int RECORDS = 120;

    static Stream<Path> jobFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("jobs"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("jobFiles")
    void eachJobFilesSamplesAreJudgedAsTheJobJudgesThem(Path job) {
        JobConfig config = ConfigLoader.fromArgs("--job", job.toString());
        SampleRecords samples = SampleRecords.forJob(config);
        if (config.model() != null) {
            assertThat(samples.classes()).as("D of a model job").isEqualTo(config.model().weights().features());
        } else if (!config.labels().isEmpty()) {
            assertThat(samples.classes()).as("K of a job with labels").isEqualTo(config.labels().size());
        }
        assertSamplesAreJudgedAsIntended(config.get(SoftmaxOptions.FORMAT), samples, config.formatSettings(),
                config.activation(), config.model() == null ? 0 : config.model().weights().features());
    }

    @ParameterizedTest
    @MethodSource("otherSettings")
    void otherFormatOptionsToo(WireFormat format, FormatSettings settings) {
        assertSamplesAreJudgedAsIntended(format, new SampleRecords(format, settings, List.of()), settings,
                Activation.SOFTMAX);
    }

    /** An entirely masked row is a bad record for softmax only: sigmoid and none take it. */
    @Test
    void jsonsAllMaskedSampleIsGoodForSigmoidAndNone() {
        for (Activation activation : Activation.values()) {
            SampleRecords samples = new SampleRecords(WireFormat.JSON, FormatSettings.DEFAULTS, List.of("a", "b", "c"),
                    activation);
            assertSamplesAreJudgedAsIntended(WireFormat.JSON, samples, FormatSettings.DEFAULTS, activation);
        }
    }

    static List<Object[]> otherSettings() {
        return List.of(
                new Object[] {WireFormat.OIP_V2, FormatSettings.DEFAULTS}, // the first output, whatever its name
                new Object[] {WireFormat.OIP_V2, FormatSettings.DEFAULTS.withOipInputTensor("scores")},
                new Object[] {WireFormat.FLOAT32LE, FormatSettings.DEFAULTS}, // K from the shape header
                new Object[] {WireFormat.FLOAT32LE, FormatSettings.DEFAULTS.withFloat32leClasses(7)});
    }

    @Test
    void float32leRowsHaveTheConfiguredLengthElseAShapeHeader() {
        SampleRecords configured = new SampleRecords(WireFormat.FLOAT32LE, FormatSettings.DEFAULTS.withFloat32leClasses(7),
                List.of("a", "b", "c"));
        assertThat(configured.classes()).isEqualTo(7);
        assertThat(configured.sample(0).headers()).isEmpty();
        SampleRecords headed = new SampleRecords(WireFormat.FLOAT32LE, FormatSettings.DEFAULTS, List.of());
        assertThat(headed.classes()).isEqualTo(SampleLogits.CLASSES);
        assertThat(new String(headed.sample(0).headers().get("shape"), StandardCharsets.US_ASCII))
                .isEqualTo("[1000]");
    }

    private static void assertSamplesAreJudgedAsIntended(WireFormat format, SampleRecords samples,
            FormatSettings settings, Activation activation) {
        assertSamplesAreJudgedAsIntended(format, samples, settings, activation, 0);
    }

    /** @param features a model job's feature count D, or 0 when records carry logits */
    private static void assertSamplesAreJudgedAsIntended(WireFormat format, SampleRecords samples,
            FormatSettings settings, Activation activation, int features) {
        LogitsFormat decoder = format.create(settings);
        Set<String> kinds = new HashSet<>();
        Set<String> badKinds = new HashSet<>();
        int bad = 0;
        for (int n = 0; n < RECORDS; n++) {
            SampleRecord s = samples.sample(n);
            assertThat(s.value()).as("the same n gives the same record").isEqualTo(samples.sample(n).value());
            kinds.add(s.kind());
            if (s.bad()) {
                bad++;
                badKinds.add(s.kind());
            }
            Reason verdict = judge(decoder, s, activation, features);
            assertThat(verdict).as("%s %s (%s)", format, s.id(), s.kind()).isEqualTo(s.reason());
            if (!s.bad()) {
                Logits logits = decodeGood(decoder, s);
                assertThat(logits.cols()).as("K of %s", s.id()).isEqualTo(samples.classes());
            }
        }
        // JSON's all-masked kind is good for sigmoid and none
        assertThat(badKinds).as("bad kinds of %s", format).hasSizeGreaterThanOrEqualTo(activation.needsUnmaskedEntry() ? 4 : 3);
        assertThat(kinds.size() - badKinds.size()).as("good kinds of %s", format).isGreaterThanOrEqualTo(3);
        assertThat(bad).as("bad records of %s among %d", format, RECORDS).isBetween(4, RECORDS / 5);
    }

    /** The job's verdict: the decoder's reason, else the kernel's row check's; {@code null} when good. */
    private static Reason judge(LogitsFormat decoder, SampleRecord s, Activation activation, int features) {
        Logits logits;
        try {
            logits = decoder.decode(s.value(), name -> s.headers().get(name));
        } catch (BadRecordException e) {
            return e.reason();
        }
        if (features > 0 && logits.cols() != features) {
            return Reason.SHAPE_MISMATCH; // a model job's verdict on features of another length
        }
        for (int r = 0; r < logits.rows(); r++) {
            RowDefect defect = Softmax.check(logits.values(), r * logits.cols(), logits.cols(), activation);
            if (defect != null) {
                // as SoftmaxFunction.reasonOf maps the kernel's verdict to the dead letter's reason
                return switch (defect) {
                    case EMPTY -> Reason.EMPTY_VECTOR;
                    case NOT_A_NUMBER, POSITIVE_INFINITY -> Reason.NON_FINITE_INPUT;
                    case ALL_MASKED -> Reason.ALL_MASKED;
                };
            }
        }
        return null;
    }

    private static Logits decodeGood(LogitsFormat decoder, SampleRecord s) {
        try {
            return decoder.decode(s.value(), name -> s.headers().get(name));
        } catch (BadRecordException e) {
            throw new AssertionError(s.id() + " should decode", e);
        }
    }
}
