package io.github.flinksoftmax.local;

import io.github.flinksoftmax.format.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sample records for the {@code oip-v2} format: inference responses as Triton or KServe write
 * them for a classifier with K outputs, {@code {"model_name", "model_version",
 * "id", "outputs": [{"name", "datatype": "FP32", "shape", "data"}]}}. The logits tensor carries the
 * name the job reads ({@code oip.input-tensor}, or {@value #DEFAULT_TENSOR} when the job takes the
 * first output). Most responses hold one row, shape [1, K]; some a batch [N, K]; some carry a
 * second output next to the logits, which the job must pass over. A few are bad on purpose: cut
 * off mid-number, a NaN or +Infinity logit, or an INT64 datatype. Record {@code n} is a pure
 * function of {@code n} and the tensor name; rows come from {@link SampleLogits#logits}.
 */
final class SampleOipV2 {

    static final String DEFAULT_TENSOR = "logits";

    private SampleOipV2() {}

    /** The logits tensor's name: the job's {@code oip.input-tensor}, else {@value #DEFAULT_TENSOR}. */
    static String tensorName(String inputTensor) {
        return inputTensor.isEmpty() ? DEFAULT_TENSOR : inputTensor;
    }

    static String kind(long n) {
        // bad records at fixed offsets, so the first 60 records already show every kind
        return switch ((int) (n % 40)) {
            case 7 -> "malformed";
            case 11 -> "nan";
            case 17 -> "infinity";
            case 37 -> "int64-datatype";
            default -> switch ((int) (n % 5)) {
                case 3 -> "batch";
                case 4 -> "two-outputs";
                default -> "single";
            };
        };
    }

    static Reason reason(String kind) {
        return switch (kind) {
            case "malformed" -> Reason.MALFORMED_JSON;
            case "nan", "infinity" -> Reason.NON_FINITE_INPUT;
            case "int64-datatype" -> Reason.UNSUPPORTED_DATATYPE;
            default -> null;
        };
    }

    /**
     * @param inputTensor the job's {@code oip.input-tensor}: a name, or empty for the first output
     * @param classes K, the length of each row
     */
    static SampleRecord sample(long n, String inputTensor, int classes) {
        SplittableRandom random = SampleLogits.random(n);
        String id = String.format(Locale.ROOT, "req-%06d", n);
        String kind = kind(n);
        int rows = kind.equals("batch") ? 2 + random.nextInt(3) : 1;
        StringBuilder json = new StringBuilder(8 * classes * rows + 200);
        json.append("{\"model_name\": \"resnet50\", \"model_version\": \"1\", \"id\": \"").append(id)
                .append("\", \"outputs\": [");
        // a classifier's other output, such as its own argmax; put first when the job picks the logits by name
        String other = "{\"name\": \"class_index\", \"datatype\": \"INT64\", \"shape\": [1], \"data\": [0]}";
        boolean otherFirst = kind.equals("two-outputs") && !inputTensor.isEmpty();
        if (otherFirst) {
            json.append(other).append(", ");
        }
        json.append("{\"name\": \"").append(tensorName(inputTensor)).append("\", \"datatype\": \"")
                .append(kind.equals("int64-datatype") ? "INT64" : "FP32").append("\", \"shape\": [")
                .append(rows).append(", ").append(classes).append("], \"data\": [");
        for (int r = 0; r < rows; r++) {
            float[] z = SampleLogits.logits(random, classes, false);
            for (int i = 0; i < z.length; i++) {
                json.append(r == 0 && i == 0 ? "" : ", ");
                if (i == classes / 2 && kind.equals("nan")) {
                    json.append("NaN"); // Python's json.dumps writes it so; Triton itself would not
                } else if (i == classes / 2 && kind.equals("infinity")) {
                    json.append("Infinity");
                } else {
                    SampleLogits.appendThreeDecimals(json, z[i]);
                }
            }
        }
        json.append("]}");
        if (kind.equals("two-outputs") && !otherFirst) {
            json.append(", ").append(other);
        }
        json.append("]}");
        if (kind.equals("malformed")) {
            json.setLength(json.length() / 2); // cut off mid-number, as a crashed writer would leave it
        }
        return new SampleRecord(id, kind, json.toString().getBytes(StandardCharsets.UTF_8), Map.of(), reason(kind));
    }
}
