package io.github.flinksoftmax.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Input records for the benchmarks: one row of K logits drawn from 3·N(0,1) (seeded, so two runs
 * see the same bytes), encoded in one of the wire formats the way a model server would send it:
 * {@code json} as {@code {"logits": [..]}} with Java's shortest float text, {@code oip-v2} as an
 * Open Inference Protocol response with one FP32 tensor of shape [1, K], {@code float32le} as
 * raw little-endian floats. Valid records only: the benchmarks measure the normal path.
 */
public final class BenchRecords {

    private BenchRecords() {}

    /** Logits of record {@code n}. */
    public static float[] logits(long n, int k) {
        SplittableRandom random = new SplittableRandom(0xBE7C4L + n * 0x9E3779B97F4A7C15L);
        float[] row = new float[k];
        for (int i = 0; i < k; i++) {
            row[i] = (float) (3 * random.nextGaussian());
        }
        return row;
    }

    /** Record {@code n}'s value in {@code format} ({@code json}, {@code oip-v2} or {@code float32le}). */
    public static byte[] value(String format, long n, int k) {
        float[] row = logits(n, k);
        return switch (format) {
            case "float32le" -> float32le(row);
            case "json" -> utf8(array(new StringBuilder(12 * k + 16).append("{\"logits\":"), row).append('}'));
            case "oip-v2" -> utf8(array(new StringBuilder(12 * k + 128)
                    .append("{\"model_name\":\"bench\",\"id\":\"").append(n)
                    .append("\",\"outputs\":[{\"name\":\"logits\",\"shape\":[1,").append(k)
                    .append("],\"datatype\":\"FP32\",\"data\":"), row).append("}]}"));
            default -> throw new IllegalArgumentException("format is '" + format + "'; expected json, oip-v2 or float32le");
        };
    }

    private static StringBuilder array(StringBuilder sb, float[] row) {
        sb.append('[');
        for (int i = 0; i < row.length; i++) {
            sb.append(i == 0 ? "" : ",").append(row[i]);
        }
        return sb.append(']');
    }

    private static byte[] float32le(float[] row) {
        ByteBuffer b = ByteBuffer.allocate(4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(row);
        return b.array();
    }

    private static byte[] utf8(StringBuilder sb) {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
