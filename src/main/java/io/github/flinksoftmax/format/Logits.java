package io.github.flinksoftmax.format;

/**
 * A decoded record: a {@code [rows, cols]} block of logits in row-major order, the shape as it
 * arrived (so the output keeps the input's rank: {@code [K]}, {@code [N, K]} or {@code [1, K]}),
 * and the format's own envelope, which it needs again to encode the output (pass-through JSON
 * fields, an inference response's model name and id). The envelope is opaque to everyone but the
 * formats and {@link EnvelopeTranslator}, which carries it into another format's.
 */
public final class Logits {

    private final float[] values;
    private final int rows;
    private final int cols;
    private final int[] shape;
    private final Object envelope;

    public Logits(float[] values, int rows, int cols, int[] shape, Object envelope) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(
                    "values.length " + values.length + " != rows " + rows + " * cols " + cols);
        }
        this.values = values;
        this.rows = rows;
        this.cols = cols;
        this.shape = shape;
        this.envelope = envelope;
    }

    public float[] values() {
        return values;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The shape the input declared or implied; its product is {@code rows * cols}. */
    public int[] shape() {
        return shape;
    }

    public Object envelope() {
        return envelope;
    }

    /** The same logits and shape with another format's envelope: what a format that writes another one passes on. */
    public Logits withEnvelope(Object other) {
        return new Logits(values, rows, cols, shape, other);
    }
}
