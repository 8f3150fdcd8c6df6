package io.github.flinksoftmax.job;

import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.Logits;
import io.github.flinksoftmax.format.LogitsFormat;
import io.github.flinksoftmax.format.Reason;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.kernel.RowDefect;
import io.github.flinksoftmax.kernel.Softmax;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Summarizer;
import io.github.flinksoftmax.postprocess.Thresholds;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole per-record path in one stateless operator: decode the value, run the kernel's
 * activation in place (its facade validates every row, once), summarise (top-k, argmax, entropy,
 * margin, classes above threshold) and encode. A record that fails any step goes to
 * {@link #DEAD_LETTERS} with the reason; nothing a record holds can throw out of this function,
 * so bad input never restarts the job.
 */
public final class SoftmaxFunction extends ProcessFunction<KafkaRecord, KafkaRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SoftmaxFunction.class);

    /** The side output carrying dead letters. */
    public static final OutputTag<KafkaRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(KafkaRecord.class));

    private final SoftmaxSettings settings;

    private transient LogitsFormat format;
    private transient Softmax softmax;
    private transient Summarizer summarizer;
    private transient Extras extras;
    private transient SoftmaxMetrics metrics;
    private transient float beta;
    private transient Activation activation;
    private transient RecordLimit limit;
    private transient DeadLetters deadLetters;
    /** The step the current record is in, so its dead letter names where it failed; set without allocating. */
    private transient Step step;
    /** The linear model of {@code model.file}, or {@code null} when records carry logits (or the model comes from a topic). */
    private transient ModelScoring scoring;

    public SoftmaxFunction(SoftmaxSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        // built here, on the TaskManager: the kernel choice must see the JVM the work runs in
        format = settings.format().create(settings.formatSettings(), settings.outputFormat());
        softmax = Softmax.create(settings.kernel().toString());
        extras = settings.extras();
        summarizer = new Summarizer(extras);
        beta = settings.beta();
        activation = settings.activation();
        limit = new RecordLimit(settings.maxRecordBytes());
        deadLetters = new DeadLetters(settings.jobName(), getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                settings.includeStacktrace(), settings.maxRecordBytes());
        metrics = new SoftmaxMetrics(getRuntimeContext().getMetricGroup(), softmax.vectorBits());
        if (settings.model() != null) {
            scoring = new ModelScoring(settings.model(), settings.kernel().toString());
            LOG.info("Softmax operator {} scores with {} (kernel {})",
                    getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks(), scoring.model(), scoring.kernelName());
        }
        LOG.info("Softmax operator {} uses kernel {} with activation {}, format {} in and {} out",
                getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks(), softmax.kernelName(), activation,
                settings.format(), settings.outputFormat());
    }

    @Override
    public void processElement(KafkaRecord in, Context ctx, Collector<KafkaRecord> out) {
        processRecord(in, scoring, false, out, letter -> ctx.output(DEAD_LETTERS, letter));
    }

    /**
     * The whole per-record path with {@code model} (or none, for logits), emitting the output to
     * {@code out} or the dead letter to {@code deadLetterOut}: the model-topic operator calls it with
     * the model its broadcast state holds, so each record is scored by exactly one model.
     */
    void processRecord(KafkaRecord in, ModelScoring model, boolean modelRequired, Collector<KafkaRecord> out,
            java.util.function.Consumer<KafkaRecord> deadLetterOut) {
        metrics.recordsIn.inc();
        KafkaRecord result;
        try {
            result = process(in, model, modelRequired);
        } catch (BadRecordException e) {
            metrics.deadLetter(e.reason());
            deadLetterOut.accept(limit.fit(deadLetters.of(in, e, step, executing(step)), in.headerKeys.length));
            return;
        } catch (RuntimeException e) {
            // a decoder bug must not turn one record into an endless restart loop
            LOG.warn("Unexpected error on record {} in step {}; sending it to the dead-letter topic", in, step, e);
            metrics.deadLetter(Reason.UNREADABLE);
            deadLetterOut.accept(limit.fit(deadLetters.of(in, Reason.UNREADABLE, step, executing(step), e),
                    in.headerKeys.length));
            return;
        }
        // Outside the try: the output sink's writer runs chained, inside collect(), and a failure there
        // (a send that failed earlier, a fenced producer) is the sink's, not this record's. It fails the
        // task, and Flink restarts from the last checkpoint; dead-lettering this record instead would
        // hide the failure and lose the records whose sends failed.
        out.collect(result);
        metrics.recordsOut.inc();
        metrics.emitted(in.timestamp, System.currentTimeMillis());
    }

    /** The class doing {@code step}, which a dead letter names as Connect names its converter or transformation. */
    private Class<?> executing(Step step) {
        return switch (step) {
            case INPUT_LIMIT, OUTPUT_LIMIT -> RecordLimit.class;
            case DECODE -> format.decoderClass();
            case ENCODE -> format.encoderClass();
            case MODEL -> ModelScoring.class;
            case SOFTMAX -> Softmax.class;
            case SUMMARIZE -> Summarizer.class;
        };
    }

    private KafkaRecord process(KafkaRecord in, ModelScoring scoring, boolean modelRequired)
            throws BadRecordException {
        step = Step.INPUT_LIMIT;
        limit.checkInput(in); // before decoding: a record over the limit is never expanded into floats
        step = Step.DECODE;
        Logits logits = format.decode(in.value, in::lastHeader);
        if (scoring == null && modelRequired) {
            step = Step.MODEL;
            throw new BadRecordException(Reason.NO_MODEL, "no model has arrived on the model topic (model.topic) yet");
        }
        if (scoring != null) {
            step = Step.MODEL;
            logits = scoring.score(logits);
        }
        float[] values = logits.values();
        int rows = logits.rows();
        int cols = logits.cols();
        step = Step.SOFTMAX;
        try {
            // in place: the decoded array is this record's own, so the output needs no second buffer
            softmax.compute(values, 0, values, 0, rows, cols, beta, activation);
        } catch (Softmax.InvalidRowException e) {
            // the facade validated the rows (and wrote nothing); its verdict becomes the dead letter's reason
            throw new BadRecordException(reasonOf(e.invalidRow().defect()),
                    describe(e.invalidRow(), rows, activation));
        }
        metrics.rowsOut.inc(rows);
        step = Step.SUMMARIZE;
        requireThresholdPerClass(cols);
        Distribution distribution = new Distribution(values, rows, cols, activation, extras,
                summarizer.summarize(values, rows, cols, activation));
        KafkaRecord result = new KafkaRecord();
        result.key = in.key;
        result.timestamp = in.timestamp;
        result.headerKeys = in.headerKeys;
        result.headerValues = in.headerValues;
        step = Step.ENCODE;
        // formats that add headers (float32le's extras) append to the output, never to the input's arrays
        result.value = format.encode(logits, distribution, result::addHeader);
        if (scoring != null) {
            result.addHeader(ModelScoring.VERSION_HEADER, scoring.versionBytes());
        }
        step = Step.OUTPUT_LIMIT;
        limit.checkOutput(result); // JSON output can be three times its input: the sink must never refuse it
        return result;
    }

    /** A row of another length than the per-class thresholds has classes without one, or thresholds without a class. */
    private void requireThresholdPerClass(int cols) throws BadRecordException {
        Thresholds thresholds = extras.thresholds();
        if (!thresholds.fits(cols)) {
            throw new BadRecordException(Reason.SHAPE_MISMATCH, "rows have " + cols + " classes; expected "
                    + thresholds.perClass() + ", one per threshold in sigmoid.thresholds");
        }
    }

    static Reason reasonOf(RowDefect defect) {
        return switch (defect) {
            case EMPTY -> Reason.EMPTY_VECTOR;
            case NOT_A_NUMBER, POSITIVE_INFINITY -> Reason.NON_FINITE_INPUT;
            case ALL_MASKED -> Reason.ALL_MASKED;
        };
    }

    /** The defect in words; the input is "logits" where an activation turns it into probabilities, else "scores". */
    static String describe(Softmax.InvalidRow bad, int rows, Activation activation) {
        String where = rows == 1 ? "the vector" : "row " + bad.row();
        boolean logits = activation != Activation.NONE;
        String one = logits ? "logit" : "score";
        String many = logits ? "logits" : "scores";
        return switch (bad.defect()) {
            case EMPTY -> where + " is empty; expected at least one " + one;
            case NOT_A_NUMBER -> where + " holds NaN; expected finite " + many + " or -Infinity (masked)";
            case POSITIVE_INFINITY -> where + " holds +Infinity; expected finite " + many + " or -Infinity (masked)";
            case ALL_MASKED -> where + " is entirely -Infinity; expected at least one unmasked " + one;
        };
    }
}
