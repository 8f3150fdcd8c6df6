package io.github.flinksoftmax.local;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns one output record of the job, in any of the three formats, into what a person reads on
 * the console: the record's id and the most probable classes of its first row, with labels.
 * It takes the job's own {@code top_k} when the record carries it, and otherwise ranks the
 * probabilities itself with the job's labels, so it shows something useful whatever extras are
 * configured. It never throws: a record it cannot read becomes a line saying so.
 */
final class ResultDecoder {

    /** One class of a ranking; {@code label} is {@code null} for a class without a name. */
    record Ranked(int index, String label, double probability) {}

    /** What the console shows for one output record: the ranking of its first row. */
    record Result(String id, int rows, List<Ranked> top, String problem) {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final List<String> labels;
    private final int k;

    /** @param labels the job's class names by index; {@code k} how many classes to show */
    ResultDecoder(List<String> labels, int k) {
        this.labels = labels;
        this.k = k;
    }

    /** @param header the last value of a record header as text, or {@code null} */
    Result decode(byte[] key, byte[] value, Function<String, String> header) {
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (value == null || value.length == 0) {
            return new Result(keyText, 0, List.of(), "empty value");
        }
        JsonNode root = null;
        if (value[0] == '{' || value[0] == '[') {
            try {
                root = JSON.readTree(value);
            } catch (IOException e) {
                root = null; // not JSON after all: float32 bytes that happen to start like it
            }
        }
        try {
            if (root == null) {
                return float32le(keyText, value, header);
            }
            String id = root.path("id").isValueNode() ? root.path("id").asText() : keyText;
            return root.has("outputs") ? oipV2(id, root.path("outputs")) : json(id, root);
        } catch (RuntimeException e) {
            return new Result(keyText, 0, List.of(), "unreadable output: " + e.getMessage());
        }
    }

    private Result json(String id, JsonNode root) {
        JsonNode topK = root.path("top_k");
        if (topK.isArray() && topK.size() > 0) {
            boolean batch = topK.get(0).isArray();
            List<Ranked> top = new ArrayList<>();
            for (JsonNode entry : batch ? topK.get(0) : topK) {
                int index = entry.path("index").asInt(-1);
                String label = entry.path("label").isTextual() ? entry.path("label").asText() : label(index);
                top.add(new Ranked(index, label, entry.path("probability").asDouble()));
            }
            return new Result(id, batch ? topK.size() : 1, limit(top), null);
        }
        boolean log = !root.has("probabilities") && root.has("log_probabilities");
        JsonNode values = root.isArray() ? root : root.path(log ? "log_probabilities" : "probabilities");
        if (!values.isArray() || values.isEmpty()) {
            return new Result(id, 0, List.of(), "no probabilities in the output");
        }
        boolean batch = values.get(0).isArray();
        JsonNode row = batch ? values.get(0) : values;
        float[] p = new float[row.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) row.get(i).asDouble();
        }
        return new Result(id, batch ? values.size() : 1, rank(p, log), null);
    }

    /** An Open Inference Protocol v2 response: the Triton-style top-k tensor, else the FP32 one. */
    private Result oipV2(String id, JsonNode outputs) {
        JsonNode probabilities = null;
        for (JsonNode tensor : outputs) {
            if ("BYTES".equals(tensor.path("datatype").asText()) && tensor.path("name").asText().contains("top")) {
                List<String> entries = new ArrayList<>();
                flatten(tensor.path("data"), entries);
                int perRow = lastDimension(tensor.path("shape"), entries.size());
                List<Ranked> top = new ArrayList<>();
                for (String entry : entries.subList(0, Math.min(perRow, entries.size()))) {
                    top.add(classification(entry));
                }
                return new Result(id, Math.max(1, entries.size() / Math.max(1, perRow)), limit(top), null);
            }
            if (tensor.path("datatype").asText().startsWith("FP") && probabilities == null) {
                probabilities = tensor;
            }
        }
        if (probabilities == null) {
            return new Result(id, 0, List.of(), "no FP32 tensor in the response");
        }
        List<String> flat = new ArrayList<>();
        flatten(probabilities.path("data"), flat);
        int cols = lastDimension(probabilities.path("shape"), flat.size());
        float[] p = new float[Math.min(cols, flat.size())];
        for (int i = 0; i < p.length; i++) {
            p[i] = Float.parseFloat(flat.get(i));
        }
        return new Result(id, flat.size() / Math.max(1, cols), rank(p, false), null);
    }

    /** Raw little-endian float32 probabilities, the extras (if any) in a {@code softmax.top-k} header. */
    private Result float32le(String id, byte[] value, Function<String, String> header) {
        String topK = header.apply("softmax.top-k");
        if (topK != null && !topK.isEmpty()) {
            String[] rows = topK.split(";");
            List<Ranked> top = new ArrayList<>();
            for (String entry : rows[0].split(",")) {
                top.add(classification(entry));
            }
            return new Result(id, rows.length, limit(top), null);
        }
        if (value.length % 4 != 0) {
            return new Result(id, 0, List.of(), "neither JSON nor float32 (" + value.length + " bytes)");
        }
        int count = value.length / 4;
        String shape = header.apply("shape");
        int cols = count;
        if (shape != null) {
            String[] dims = shape.replaceAll("[\\[\\]\\s]", "").split(",");
            cols = Integer.parseInt(dims[dims.length - 1]);
        }
        ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        float[] p = new float[Math.min(cols, count)];
        for (int i = 0; i < p.length; i++) {
            p[i] = buffer.getFloat();
        }
        return new Result(id, count / Math.max(1, cols), rank(p, false), null);
    }

    /** Triton's classification text {@code value:index[:label]}. */
    private Ranked classification(String entry) {
        String[] parts = entry.trim().split(":", 3);
        int index = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        return new Ranked(index, parts.length > 2 ? parts[2] : label(index), Double.parseDouble(parts[0]));
    }

    private List<Ranked> rank(float[] p, boolean log) {
        List<Ranked> top = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            double probability = log ? Math.exp(p[i]) : p[i];
            int at = top.size();
            // ties keep the lower index first, as the job's own top-k does
            while (at > 0 && top.get(at - 1).probability() < probability) {
                at--;
            }
            if (at < k) {
                top.add(at, new Ranked(i, label(i), probability));
                if (top.size() > k) {
                    top.remove(k);
                }
            }
        }
        return top;
    }

    private List<Ranked> limit(List<Ranked> top) {
        return top.size() > k ? top.subList(0, k) : top;
    }

    private String label(int index) {
        return index >= 0 && index < labels.size() ? labels.get(index) : null;
    }

    private static void flatten(JsonNode node, List<String> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node.asText());
        }
    }

    private static int lastDimension(JsonNode shape, int fallback) {
        return shape.isArray() && shape.size() > 0 ? shape.get(shape.size() - 1).asInt(fallback) : fallback;
    }
}
