package io.github.flinksoftmax.job;

import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.Reason;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Builds the dead-letter record for an input that could not be processed: the original key,
 * value, headers and timestamp, plus the error-context headers Kafka Connect's dead-letter queue
 * writes ({@code errors.deadletterqueue.context.headers.enable}), with Connect's names and value
 * formats, so tools that already read Connect dead-letter queues read ours; and our own
 * machine-readable {@link #REASON}. One instance per subtask; not thread-safe, as its task is not.
 */
public final class DeadLetters {

    public static final String HEADER_PREFIX = "__connect.errors.";
    public static final String TOPIC = HEADER_PREFIX + "topic";
    public static final String PARTITION = HEADER_PREFIX + "partition";
    public static final String OFFSET = HEADER_PREFIX + "offset";
    /** The job's name ({@code job.name}), where Connect names the connector. */
    public static final String CONNECTOR_NAME = HEADER_PREFIX + "connector.name";
    /** The index of the subtask that rejected the record, where Connect names the task. */
    public static final String TASK_ID = HEADER_PREFIX + "task.id";
    /** The Connect stage of the step that failed, such as {@code VALUE_CONVERTER} (see {@link Step}). */
    public static final String STAGE = HEADER_PREFIX + "stage";
    /** The class that failed, such as {@code io.github.flinksoftmax.format.JsonFormat}. */
    public static final String EXECUTING_CLASS = HEADER_PREFIX + "class.name";
    public static final String EXCEPTION_CLASS = HEADER_PREFIX + "exception.class.name";
    public static final String EXCEPTION_MESSAGE = HEADER_PREFIX + "exception.message";
    /** Only with {@code dead-letter.include-stacktrace}: the exception as {@code printStackTrace} writes it. */
    public static final String EXCEPTION_STACKTRACE = HEADER_PREFIX + "exception.stacktrace";
    /** Ours, not Connect's: the stable code of {@link Reason}, such as {@code malformed-json}. */
    public static final String REASON = HEADER_PREFIX + "reason";

    private static final String CUT = "\n\t... (cut to fit softmax.max-record-bytes)\n";

    private final byte[] connectorName;
    private final byte[] taskId;
    private final boolean includeStacktrace;
    private final int maxTraceChars;

    /**
     * @param jobName {@code job.name}
     * @param subtask the index of this subtask
     * @param includeStacktrace {@code dead-letter.include-stacktrace}
     * @param maxRecordBytes {@code softmax.max-record-bytes}
     */
    public DeadLetters(String jobName, int subtask, boolean includeStacktrace, int maxRecordBytes) {
        this.connectorName = utf8(jobName);
        this.taskId = utf8(Integer.toString(subtask));
        this.includeStacktrace = includeStacktrace;
        // a quarter of the limit even at 3 UTF-8 bytes a char: RecordLimit.fit keeps every error header,
        // so they must fit with room to spare, or the sink would refuse the dead letter and fail the job
        this.maxTraceChars = maxRecordBytes / 12;
    }

    /** The dead letter for {@code in}, rejected for {@code reason} by {@code error} in {@code step} of {@code executing}. */
    KafkaRecord of(KafkaRecord in, Reason reason, Step step, Class<?> executing, Throwable error) {
        KafkaRecord out = new KafkaRecord();
        out.key = in.key;
        out.value = in.value;
        out.timestamp = in.timestamp;
        out.headerKeys = in.headerKeys;
        out.headerValues = in.headerValues;
        // in the order Connect writes them
        out.addHeader(TOPIC, utf8(String.valueOf(in.topic)));
        out.addHeader(PARTITION, utf8(Integer.toString(in.partition)));
        out.addHeader(OFFSET, utf8(Long.toString(in.offset)));
        out.addHeader(CONNECTOR_NAME, connectorName);
        out.addHeader(TASK_ID, taskId);
        out.addHeader(STAGE, utf8(step.connectStage()));
        out.addHeader(EXECUTING_CLASS, utf8(executing.getName()));
        out.addHeader(EXCEPTION_CLASS, utf8(error.getClass().getName()));
        out.addHeader(EXCEPTION_MESSAGE, utf8(error.getMessage() == null ? "" : error.getMessage()));
        if (includeStacktrace) {
            out.addHeader(EXCEPTION_STACKTRACE, utf8(stacktrace(error)));
        }
        out.addHeader(REASON, utf8(reason.code()));
        return out;
    }

    /** The dead letter for a verdict of the job's own checks. */
    KafkaRecord of(KafkaRecord in, BadRecordException e, Step step, Class<?> executing) {
        return of(in, e.reason(), step, executing, e);
    }

    private String stacktrace(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        if (trace.getBuffer().length() <= maxTraceChars) {
            return trace.toString();
        }
        int end = Math.max(0, maxTraceChars - CUT.length());
        if (end > 0 && Character.isHighSurrogate(trace.getBuffer().charAt(end - 1))) {
            end--; // never half a character
        }
        return trace.getBuffer().substring(0, end) + CUT;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
