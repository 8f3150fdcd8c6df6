package io.github.flinksoftmax.local;

import io.github.flinksoftmax.format.Float32LeFormat;
import io.github.flinksoftmax.format.Reason;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sample records for the {@code float32le} format: rows of K little-endian float32 logits (numpy
 * {@code '<f4'}), K being the job's {@code float32le.classes}, or else sent in a {@code shape}
 * header ({@code [K]}, or {@code [N, K]} for a batch), as the job then reads it. Most records are one row, some a batch of 2 to 4, some mask a block with
 * {@code -Infinity}. A few are bad on purpose: a length that is no multiple of 4 bytes, a row one
 * float short, a NaN or a +Infinity. Record {@code n} is a pure function of {@code n} and K;
 * rows come from {@link SampleLogits#logits}.
 */
final class SampleFloat32Le {

    private SampleFloat32Le() {}

    static String kind(long n) {
        // bad records at fixed offsets, so the first 60 records already show every kind
        return switch ((int) (n % 40)) {
            case 7 -> "odd-length";
            case 11 -> "nan";
            case 17 -> "short-row";
            case 37 -> "infinity";
            default -> switch ((int) (n % 5)) {
                case 3 -> "batch";
                case 4 -> "masked";
                default -> "single";
            };
        };
    }

    static Reason reason(String kind) {
        return switch (kind) {
            case "odd-length" -> Reason.BAD_LENGTH;
            case "short-row" -> Reason.SHAPE_MISMATCH;
            case "nan", "infinity" -> Reason.NON_FINITE_INPUT;
            default -> null;
        };
    }

    /**
     * @param k the length of each row
     * @param shapeHeader whether to say the shape in a header: when the job has no {@code float32le.classes}
     */
    static SampleRecord sample(long n, int k, boolean shapeHeader) {
        SplittableRandom random = SampleLogits.random(n);
        String id = String.format(Locale.ROOT, "seq-%06d", n);
        String kind = kind(n);
        int rows = kind.equals("batch") ? 2 + random.nextInt(3) : 1;
        float[] values = new float[rows * k];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(SampleLogits.logits(random, k, kind.equals("masked")), 0, values, r * k, k);
        }
        switch (kind) {
            case "nan" -> values[k / 2] = Float.NaN;
            case "infinity" -> values[k / 2] = Float.POSITIVE_INFINITY;
            case "short-row" -> values = Arrays.copyOf(values, k - 1); // the shape says K; a writer lost one
            default -> { }
        }
        byte[] bytes = new byte[values.length * 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        if (kind.equals("odd-length")) {
            bytes = Arrays.copyOf(bytes, bytes.length - 2); // a value cut off mid-float
        }
        Map<String, byte[]> headers = !shapeHeader ? Map.of() : Map.of(Float32LeFormat.SHAPE_HEADER,
                (rows == 1 ? "[" + k + "]" : "[" + rows + ", " + k + "]").getBytes(StandardCharsets.US_ASCII));
        return new SampleRecord(id, kind, bytes, headers, reason(kind));
    }
}
