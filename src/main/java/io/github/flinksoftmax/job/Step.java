package io.github.flinksoftmax.job;

/**
 * The steps of the per-record path, in order, each with the Kafka Connect stage its dead letters
 * name in {@code __connect.errors.stage}. Connect's stages describe a connector's pipeline; the
 * job reads as a sink task that converts each value, transforms it and produces the result, so a
 * tool that groups Connect dead letters by stage groups ours the same way: unreadable input under
 * {@code VALUE_CONVERTER}, input the softmax refuses under {@code TRANSFORMATION}, output Kafka
 * would refuse under {@code KAFKA_PRODUCE}.
 */
enum Step {
    /** The input's size against {@code softmax.max-record-bytes}, checked in place of decoding it. */
    INPUT_LIMIT("VALUE_CONVERTER"),
    /** Bytes to logits, including {@code softmax.max-length}, which the decoder enforces while reading. */
    DECODE("VALUE_CONVERTER"),
    /** A linear model's scores {@code W x + b} of the decoded features ({@code model.file} only). */
    MODEL("TRANSFORMATION"),
    /** The kernel facade's row checks (NaN, +Infinity, empty, all masked) and the softmax itself. */
    SOFTMAX("TRANSFORMATION"),
    /** Top-k, argmax, entropy, margin and the classes above threshold (whose count must match the rows). */
    SUMMARIZE("TRANSFORMATION"),
    /** The distribution to bytes: the converter's other direction, as in a Connect source task. */
    ENCODE("VALUE_CONVERTER"),
    /** The output's size against {@code softmax.max-record-bytes}: the sink's producer would refuse it. */
    OUTPUT_LIMIT("KAFKA_PRODUCE");

    private final String connectStage;

    Step(String connectStage) {
        this.connectStage = connectStage;
    }

    /** The name of the {@code org.apache.kafka.connect.runtime.errors.Stage} value for this step. */
    String connectStage() {
        return connectStage;
    }
}
