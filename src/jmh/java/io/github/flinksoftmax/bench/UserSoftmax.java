package io.github.flinksoftmax.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The softmax as a user would write it instead of running the job, for the benchmark's Kafka
 * Streams reference: Jackson's tree model for {@code json} and {@code oip-v2}, a little-endian
 * {@link ByteBuffer} for {@code float32le}, and a max-subtracted {@link Math#exp} softmax in
 * double. Each output has the content of the job's default output for that format
 * ({@code {"probabilities": [..]}}; an OIP v2 response with the input's {@code model_name} and
 * {@code id} and one FP32 tensor {@code probabilities} of the input's shape; raw little-endian
 * floats), so both write the same bytes' worth. Valid input only, as the benchmark sends; not
 * thread-safe beyond the shared, thread-safe {@link ObjectMapper}.
 */
final class UserSoftmax {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private UserSoftmax() {}

    /** Decodes {@code value} in {@code format}, applies the softmax and encodes the probabilities the same way. */
    static byte[] apply(String format, byte[] value) {
        try {
            return switch (format) {
                case "float32le" -> float32le(value);
                case "json" -> json(value);
                case "oip-v2" -> oipV2(value);
                default -> throw new IllegalArgumentException("format is '" + format + "'; expected json, oip-v2 or float32le");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("decoding a " + format + " record failed", e);
        }
    }

    private static byte[] float32le(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        float[] logits = new float[value.length / 4];
        in.asFloatBuffer().get(logits);
        float[] p = softmax(logits);
        ByteBuffer out = ByteBuffer.allocate(4 * p.length).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(p);
        return out.array();
    }

    private static byte[] json(byte[] value) throws IOException {
        float[] p = softmax(floats(MAPPER.readTree(value).get("logits")));
        ObjectNode out = MAPPER.createObjectNode();
        array(out.putArray("probabilities"), p);
        return MAPPER.writeValueAsBytes(out);
    }

    private static byte[] oipV2(byte[] value) throws IOException {
        JsonNode in = MAPPER.readTree(value);
        JsonNode tensor = in.get("outputs").get(0);
        float[] p = softmax(floats(tensor.get("data")));
        ObjectNode out = MAPPER.createObjectNode();
        out.set("model_name", in.get("model_name"));
        out.set("id", in.get("id"));
        ObjectNode probabilities = out.putArray("outputs").addObject();
        probabilities.put("name", "probabilities");
        probabilities.put("datatype", "FP32");
        probabilities.set("shape", tensor.get("shape"));
        array(probabilities.putArray("data"), p);
        return MAPPER.writeValueAsBytes(out);
    }

    private static float[] floats(JsonNode array) {
        float[] logits = new float[array.size()];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = array.get(i).floatValue();
        }
        return logits;
    }

    private static void array(ArrayNode node, float[] values) {
        for (float v : values) {
            node.add(v);
        }
    }

    /** The textbook softmax: subtract the maximum so {@code exp} cannot overflow, sum in double. */
    static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double[] e = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }
}
