package io.github.flinksoftmax.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinksoftmax.kernel.Activation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the job's output records back into numbers: the one reader of output, chosen by the
 * configured format rather than guessed from the bytes, for the local run's console, the tests and
 * the benchmarks. It reads what the formats write: {@code json} objects with {@code probabilities},
 * {@code log_probabilities} or {@code scores} and the extras as fields, {@code oip-v2} responses
 * with the values in the configured output tensor and the extras as tensors, and {@code float32le}
 * values with the extras in {@code softmax.*} headers. Not for the per-record path of the job.
 */
public final class OutputReader {

    /**
     * One entry of a row's top-k; {@code label} is {@code null} for a class without one, and
     * {@code probability} is the score for the {@code none} activation.
     */
    public record Ranked(int index, String label, float probability) {}

    /**
     * One output record.
     *
     * @param id the record's {@code id} field where the format carries one, else the key as text
     * @param classes K, the length of each row
     * @param activation what the values are: {@code json} names them, the other formats take the job's
     * @param values every row's probabilities, log-probabilities or scores, row after row
     * @param topK each row's top-k, or an empty list when the job adds none
     * @param argmax each row's class with the largest value, or {@code null} when the job adds none
     * @param entropy each row's entropy, or {@code null}; {@code margin} likewise
     * @param aboveThreshold each row's classes above threshold, ascending, or an empty list when
     *     the job has no thresholds
     */
    public record Output(String id, int classes, Activation activation, float[] values, List<List<Ranked>> topK,
            long[] argmax, float[] entropy, float[] margin, List<int[]> aboveThreshold) {

        /** Whether the values are log-probabilities. */
        public boolean log() {
            return activation == Activation.LOG_SOFTMAX;
        }

        public int rows() {
            return classes == 0 ? 0 : values.length / classes;
        }

        /** Row {@code r}'s values. */
        public float[] row(int r) {
            float[] out = new float[classes];
            System.arraycopy(values, r * classes, out, 0, classes);
            return out;
        }
    }

    private final WireFormat format;
    private final FormatSettings settings;
    private final Activation activation;

    private OutputReader(WireFormat format, FormatSettings settings, Activation activation) {
        this.format = format;
        this.settings = settings;
        this.activation = activation;
    }

    /**
     * @param activation what the job writes ({@code softmax.activation}); {@code json} says so
     *     itself (but for sigmoid, whose values are probabilities too), the other formats do not
     */
    public static OutputReader of(WireFormat format, FormatSettings settings, Activation activation) {
        return new OutputReader(format, settings, activation);
    }

    /**
     * Reads one output record.
     *
     * @throws IllegalArgumentException when the value is not an output of this format
     */
    public Output read(byte[] key, byte[] value, HeaderLookup headers) {
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("an empty value is no " + format + " output");
        }
        try {
            return switch (format) {
                case JSON -> json(keyText, JsonSupport.MAPPER.readTree(value));
                case OIP_V2 -> oipV2(keyText, JsonSupport.MAPPER.readTree(value));
                case FLOAT32LE -> float32le(keyText, value, headers);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("not " + format + " output: " + JsonSupport.describe(e), e);
        }
    }

    private Output json(String key, JsonNode root) {
        Activation named = root.has("probabilities") ? (activation == Activation.SIGMOID ? activation : Activation.SOFTMAX)
                : root.has("log_probabilities") ? Activation.LOG_SOFTMAX
                : root.has("scores") ? Activation.NONE : activation;
        JsonNode values = root.path(JsonFormat.valuesField(named));
        if (!values.isArray() || values.isEmpty()) {
            throw new IllegalArgumentException("no probabilities, log_probabilities or scores in a json output");
        }
        String valueField = named == Activation.NONE ? "score" : "probability";
        boolean batch = values.get(0).isArray();
        List<String> flat = new ArrayList<>();
        flatten(values, flat);
        int classes = batch ? values.get(0).size() : values.size();
        List<List<Ranked>> topK = new ArrayList<>();
        for (JsonNode row : rows(root.path("top_k"), batch)) {
            List<Ranked> ranked = new ArrayList<>();
            row.forEach(e -> ranked.add(new Ranked(e.path("index").asInt(),
                    e.path("label").isTextual() ? e.path("label").asText() : null,
                    Float.parseFloat(e.path(valueField).asText()))));
            topK.add(ranked);
        }
        List<int[]> above = new ArrayList<>();
        JsonNode aboveNode = root.path("above_threshold");
        if (aboveNode.isArray()) {
            if (batch) {
                aboveNode.forEach(row -> above.add(ints(row)));
            } else {
                above.add(ints(aboveNode));
            }
        }
        return new Output(id(root, key), classes, named, floats(flat), topK,
                longs(root.path("argmax")), floats(root.path("entropy")),
                floats(root.path("margin")), above);
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private Output oipV2(String key, JsonNode root) {
        JsonNode distribution = null;
        JsonNode topK = null;
        JsonNode argmax = null;
        JsonNode entropy = null;
        JsonNode margin = null;
        JsonNode above = null;
        for (JsonNode tensor : root.path("outputs")) {
            String name = tensor.path("name").asText();
            if (name.equals(settings.oipOutputTensor())) {
                distribution = tensor;
            } else if (name.equals("top_k")) {
                topK = tensor;
            } else if (name.equals("argmax")) {
                argmax = tensor.path("data");
            } else if (name.equals("entropy")) {
                entropy = tensor.path("data");
            } else if (name.equals("margin")) {
                margin = tensor.path("data");
            } else if (name.equals("above_threshold")) {
                above = tensor.path("data");
            }
        }
        if (distribution == null) {
            throw new IllegalArgumentException("no output tensor named '" + settings.oipOutputTensor()
                    + "' (oip.output-tensor) in an oip-v2 response");
        }
        List<String> flat = new ArrayList<>();
        flatten(distribution.path("data"), flat);
        int classes = lastDimension(distribution.path("shape"), flat.size());
        List<List<Ranked>> ranked = new ArrayList<>();
        if (topK != null) {
            List<String> entries = new ArrayList<>();
            flatten(topK.path("data"), entries);
            int k = lastDimension(topK.path("shape"), entries.size());
            for (int from = 0; k > 0 && from < entries.size(); from += k) {
                ranked.add(classifications(entries.subList(from, Math.min(from + k, entries.size()))));
            }
        }
        List<int[]> aboveRows = new ArrayList<>();
        if (above != null) {
            List<String> flags = new ArrayList<>();
            flatten(above, flags);
            for (int from = 0; classes > 0 && from < flags.size(); from += classes) {
                List<String> row = flags.subList(from, Math.min(from + classes, flags.size()));
                aboveRows.add(java.util.stream.IntStream.range(0, row.size())
                        .filter(i -> Boolean.parseBoolean(row.get(i))).toArray());
            }
        }
        return new Output(id(root, key), classes, activation, floats(flat), ranked,
                longs(argmax), floats(entropy), floats(margin), aboveRows);
    }

    private Output float32le(String key, byte[] value, HeaderLookup headers) {
        if (value.length % 4 != 0) {
            throw new IllegalArgumentException("a float32le output of " + value.length + " bytes, not a multiple of 4");
        }
        float[] values = new float[value.length / 4];
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        int classes = settings.float32leClasses();
        byte[] shape = headers.lastValue(Float32LeFormat.SHAPE_HEADER);
        if (classes == 0 && shape != null) {
            String[] dims = new String(shape, StandardCharsets.ISO_8859_1).replaceAll("[\\[\\]()\\s]", "").split(",");
            classes = Integer.parseInt(dims[dims.length - 1]);
        }
        if (classes == 0) {
            classes = values.length;
        }
        List<List<Ranked>> topK = new ArrayList<>();
        String text = header(headers, Float32LeFormat.TOP_K_HEADER);
        if (text != null) {
            for (String row : text.split(";", -1)) {
                topK.add(classifications(List.of(row.split(","))));
            }
        }
        String argmax = header(headers, Float32LeFormat.ARGMAX_HEADER);
        String entropy = header(headers, Float32LeFormat.ENTROPY_HEADER);
        String margin = header(headers, Float32LeFormat.MARGIN_HEADER);
        String aboveText = header(headers, Float32LeFormat.ABOVE_THRESHOLD_HEADER);
        List<int[]> above = new ArrayList<>();
        if (aboveText != null) {
            for (String row : aboveText.split(";", -1)) {
                above.add(row.isEmpty() ? new int[0] : Arrays.stream(row.split(",")).mapToInt(Integer::parseInt).toArray());
            }
        }
        return new Output(key, classes, activation, values, topK,
                argmax == null ? null : Arrays.stream(argmax.split(";")).mapToLong(Long::parseLong).toArray(),
                perRow(entropy), perRow(margin), above);
    }

    /** Triton's classification text, {@code value:index[:label]}, as the formats write it. */
    private static List<Ranked> classifications(List<String> entries) {
        List<Ranked> out = new ArrayList<>(entries.size());
        for (String entry : entries) {
            String[] parts = entry.trim().split(":", 3);
            out.add(new Ranked(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : null,
                    Float.parseFloat(parts[0])));
        }
        return out;
    }

    private static String id(JsonNode root, String key) {
        return root.path("id").isValueNode() ? root.path("id").asText() : key;
    }

    private static String header(HeaderLookup headers, String name) {
        byte[] value = headers.lastValue(name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static float[] perRow(String text) {
        return text == null ? null : floats(Arrays.asList(text.split(";")));
    }

    /** A per-row extra as one list of rows: a batch's array, or a single row's value. */
    private static List<JsonNode> rows(JsonNode node, boolean batch) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray() && !node.isEmpty()) {
            if (batch) {
                node.forEach(out::add);
            } else {
                out.add(node);
            }
        }
        return out;
    }

    private static long[] longs(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        List<String> flat = new ArrayList<>();
        flatten(node, flat);
        return flat.stream().mapToLong(Long::parseLong).toArray();
    }

    private static float[] floats(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        List<String> flat = new ArrayList<>();
        flatten(node, flat);
        return floats(flat);
    }

    private static float[] floats(List<String> flat) {
        float[] out = new float[flat.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.parseFloat(flat.get(i));
        }
        return out;
    }

    private static void flatten(JsonNode node, List<String> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node.asText());
        }
    }

    private static int lastDimension(JsonNode shape, int fallback) {
        return shape.isArray() && !shape.isEmpty() ? shape.get(shape.size() - 1).asInt(fallback) : fallback;
    }
}
