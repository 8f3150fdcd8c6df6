package io.github.flinksoftmax.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.ConfigLoader;
import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.testing.KafkaBroker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file in {@code jobs/} run as a user would try it, {@code LocalRun --job FILE --records 60}:
 * the sample producer speaks the job's format, the console shows decoded results (labelled where
 * the job has labels, {@code #index} where it has none, probabilities even for a job that writes
 * log-probabilities) and dead letters with the reason the sampler intended. Runs against the
 * shared test broker with topics of its own, so no broker process is started per file.
 */
@ExtendWith(KafkaBroker.class)
class JobFilesLocalRunITCase {

    private static final int RECORDS = 60;
    private static final Duration START = Duration.ofSeconds(150);
    private static final Duration STOP = Duration.ofSeconds(90);
    /** A decoded result: id, then the top class (label or #index) and its probability, then the next. */
    private static final Pattern RESULT = Pattern.compile(
            "^  ([a-z]+-\\d{6})(?: \\(batch of \\d+, row 1\\))?  (.+?) (\\d\\.\\d{3}) \\| (.+?) (\\d\\.\\d{3})");
    private static final Pattern DEAD_LETTER = Pattern.compile("^  dead letter [a-z]+-(\\d{6}): ([a-z-]+)");

    static List<Path> jobFiles() throws Exception {
        return SampleRecordsTest.jobFiles().toList();
    }

    @ParameterizedTest
    @MethodSource("jobFiles")
    void theJobFileRunsWithSamplesInItsFormat(Path job, @TempDir Path tmp) throws Exception {
        JobConfig config = ConfigLoader.fromArgs("--job", job.toString());
        String prefix = "jobs-it-" + UUID.randomUUID().toString().substring(0, 8);
        try (LocalRunProcess run = LocalRunProcess.start(tmp, "--job", job.toString(),
                "--bootstrap-servers", KafkaBroker.bootstrapServers(), "--records", Integer.toString(RECORDS),
                "--web-port", Integer.toString(LocalRunProcess.freePort()),
                "--set", "job.name=" + prefix, "--set", "input.topic=" + prefix + "-in",
                "--set", "output.topic=" + prefix + "-out", "--set", "dead-letter.topic=" + prefix + "-dlq")) {
            run.awaitLine("job [0-9a-f]{32} running", START);
            assertThat(run.lines()).noneMatch(l -> l.contains("producer  off"));
            assertThat(run.awaitExit(STOP)).as("exit code; output:\n%s", run.output()).isZero();

            List<Matcher> results = run.lines().stream().map(RESULT::matcher).filter(Matcher::find).toList();
            assertThat(results).as("decoded results of %s; output:\n%s", job, run.output()).isNotEmpty();
            for (Matcher m : results) {
                float first = Float.parseFloat(m.group(3));
                assertThat(first).as("top probability, not a log-probability").isBetween(0f, 1f)
                        .isGreaterThanOrEqualTo(Float.parseFloat(m.group(5)));
                if (config.labels().isEmpty()) {
                    assertThat(m.group(2)).matches("#\\d+");
                } else {
                    assertThat(config.labels()).contains(m.group(2));
                }
            }

            SampleRecords samples = SampleRecords.forJob(config);
            List<Matcher> deadLetters = run.lines().stream().map(DEAD_LETTER::matcher).filter(Matcher::find).toList();
            assertThat(deadLetters).as("dead letters shown for %s; output:\n%s", job, run.output()).isNotEmpty();
            for (Matcher m : deadLetters) {
                SampleRecord sample = samples.sample(Long.parseLong(m.group(1)));
                assertThat(sample.bad()).as("%s (%s) dead-lettered", sample.id(), sample.kind()).isTrue();
                assertThat(m.group(2)).as("reason of %s", sample.id()).isEqualTo(sample.reason().code());
            }
            Matcher done = run.awaitLine("Done: ([\\d,]+) records out, ([\\d,]+) dead-lettered", Duration.ZERO);
            assertThat(Long.parseLong(done.group(2).replace(",", ""))).as("dead letters").isPositive();
        }
    }
}
