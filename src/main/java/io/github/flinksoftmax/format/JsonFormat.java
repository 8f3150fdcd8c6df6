package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.Labels;
import io.github.flinksoftmax.postprocess.RowSummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The {@code json} format. Input: an array {@code [..]} (shape [K]), an array of equally long
 * arrays (shape [N, K]), or an object holding either at the configured JSON pointer, whose other
 * fields pass through. Output: an object with the passed-through fields (the logits field
 * removed; a field named like an output field is replaced by it), then the values with the
 * input's rank, named after the activation ({@link #valuesField}: {@code probabilities},
 * {@code log_probabilities} or {@code scores}), then the requested extras: {@code top_k} (objects
 * {@code {"index", "label", "probability"}}, {@code "score"} for scores, label only when known),
 * {@code argmax}, {@code argmax_label} (when labels are configured; null for a class without one),
 * {@code entropy}, {@code margin}, {@code above_threshold} (the indices above
 * {@code sigmoid.thresholds}) and {@code above_threshold_labels} (with labels, null for a class
 * without one); for a batch, each extra is an array with one entry per row.
 * Non-finite numbers are read from and written as the bare tokens {@code NaN}, {@code Infinity},
 * {@code -Infinity}. An empty array is rejected here as {@link Reason#EMPTY_VECTOR}.
 */
public final class JsonFormat implements LogitsFormat {

    private static final String TOP_LEVEL = "the top-level array";
    /** Deeper pointers are left to the Jackson path, where the nesting limit is counted. */
    private static final int MAX_FAST_PATH_DEPTH = 64;

    private final String pointer;
    private final String[] path;
    private final byte[][] pathBytes;
    private final JsonFloatReader floats;
    private final Utf8ArrayReader arrays;
    private final boolean fastPath;
    private final Placeholder placeholder = new Placeholder();
    private final JsonFloatWriter writer = new JsonFloatWriter();
    private final ByteSink out = new ByteSink(8192);
    private final Decoding.Body body = this::read;
    private int[] foundShape; // the logits' shape, set while reading an object; one record at a time

    public JsonFormat(FormatSettings settings) {
        this(settings, true);
    }

    /** With {@code fastPath} false every record takes the Jackson path: for the test that both paths agree. */
    JsonFormat(FormatSettings settings, boolean fastPath) {
        this.fastPath = fastPath;
        this.pointer = settings.logitsPointer();
        this.path = segments(JsonPointer.compile(pointer));
        this.pathBytes = new byte[path.length][];
        for (int i = 0; i < path.length; i++) {
            pathBytes[i] = path[i].getBytes(StandardCharsets.UTF_8);
        }
        this.floats = new JsonFloatReader(settings.maxLength());
        this.arrays = new Utf8ArrayReader(settings.maxLength());
    }

    private static String[] segments(JsonPointer pointer) {
        List<String> names = new ArrayList<>();
        for (JsonPointer p = pointer; !p.matches(); p = p.tail()) {
            names.add(p.getMatchingProperty());
        }
        return names.toArray(new String[0]);
    }

    @Override
    public Logits decode(byte[] value, HeaderLookup headers) throws BadRecordException {
        return Decoding.guard(value, headers, body);
    }

    private Logits read(byte[] value, HeaderLookup headers) throws BadRecordException, IOException {
        Logits fast = fastPath ? readFast(value) : null;
        return fast != null ? fast : read(value, value.length);
    }

    /**
     * The fast path: the logits array is found and read straight from the bytes and Jackson
     * reads only the rest (see {@link Placeholder}). Returns null, having changed nothing the
     * Jackson path relies on, for any record it is not sure of, valid or not.
     */
    private Logits readFast(byte[] value) {
        int start = Utf8Json.skipWhitespace(value, 0, value.length);
        if (start >= value.length) {
            return null;
        }
        try {
            if (value[start] == '[') {
                int[] shape = arrays.readVectorOrRows(value, start, value.length);
                if (shape == null || Utf8Json.skipWhitespace(value, arrays.end(), value.length) != value.length) {
                    return null;
                }
                return Shapes.logits(Arrays.copyOf(arrays.values(), arrays.size()), shape, null, TOP_LEVEL);
            }
            if (value[start] != '{' || path.length > MAX_FAST_PATH_DEPTH) {
                return null;
            }
            int at = start;
            for (byte[] name : pathBytes) {
                at = at >= 0 && value[at] == '{' ? Utf8Json.member(value, at, value.length, name) : -1;
            }
            if (at < 0 || value[at] != '[' || arrays.readVectorOrRows(value, at, value.length) == null) {
                return null;
            }
            placeholder.replace(value, at, arrays.end());
            Logits logits = read(placeholder.copy(), placeholder.length());
            return placeholder.taken() ? logits : null;
        } catch (BadRecordException | IOException | RuntimeException e) {
            return null; // the Jackson path reads the original and says what is wrong in its words
        } finally {
            placeholder.clear();
        }
    }

    private Logits read(byte[] value, int length) throws BadRecordException, IOException {
        floats.clear();
        foundShape = null;
        try (JsonParser parser = JsonSupport.FACTORY.createParser(value, 0, length)) {
            JsonToken first = parser.nextToken();
            int[] shape;
            ObjectNode envelope = null;
            String where = TOP_LEVEL;
            if (first == JsonToken.START_ARRAY) {
                shape = floats.readVectorOrRows(parser, TOP_LEVEL);
            } else if (first == JsonToken.START_OBJECT) {
                envelope = readObject(parser, 0);
                shape = foundShape;
                where = pointer;
            } else if (first == null) {
                throw new BadRecordException(Reason.MALFORMED_JSON, "the value is empty; expected a JSON array or object");
            } else {
                throw JsonSupport.wrongType("the value", first, "an array of logits or an object holding them at " + pointer);
            }
            JsonSupport.requireEnd(parser);
            return Shapes.logits(floats.toArray(), shape, envelope, where);
        }
    }

    /**
     * Reads the object at the current {@code START_OBJECT} whose member {@code path[depth]} leads
     * to the logits, streaming them into {@link #floats}; returns the other members as a tree.
     */
    private ObjectNode readObject(JsonParser parser, int depth) throws IOException, BadRecordException {
        ObjectNode rest = JsonSupport.MAPPER.createObjectNode();
        String wanted = path[depth];
        boolean found = false;
        for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            if (!name.equals(wanted)) {
                rest.set(name, JsonSupport.MAPPER.readTree(parser));
                continue;
            }
            String at = prefix(depth + 1);
            if (found) {
                throw new BadRecordException(Reason.MALFORMED_JSON, at + " appears twice; expected one field");
            }
            found = true;
            if (depth == path.length - 1) {
                if (valueToken != JsonToken.START_ARRAY) {
                    throw JsonSupport.wrongType(at, valueToken, "an array of numbers or an array of arrays");
                }
                foundShape = placeholder.takes(parser) ? floats.load(arrays, arrays.shape()) : floats.readVectorOrRows(parser, at);
            } else if (valueToken == JsonToken.START_OBJECT) {
                rest.set(name, readObject(parser, depth + 1));
            } else {
                throw new BadRecordException(Reason.MISSING_FIELD, "no field at " + pointer + ": " + at
                        + " is " + JsonSupport.describe(valueToken) + ", not an object");
            }
        }
        if (!found) {
            throw new BadRecordException(Reason.MISSING_FIELD, "no field at " + pointer + ": "
                    + (depth == 0 ? "the object" : prefix(depth)) + " has " + fieldNames(rest));
        }
        return rest;
    }

    /** The pointer up to {@code depth} segments, for messages. */
    private String prefix(int depth) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            sb.append('/').append(path[i].replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    private static String fieldNames(ObjectNode node) {
        if (node.isEmpty()) {
            return "no other fields";
        }
        StringBuilder sb = new StringBuilder("fields ");
        Iterator<String> names = node.fieldNames();
        for (int i = 0; names.hasNext(); i++) {
            if (i == 10) {
                return sb.append(", ...").toString();
            }
            sb.append(i == 0 ? "" : ", ").append(names.next());
        }
        return sb.toString();
    }

    @Override
    public byte[] encode(Logits input, Distribution output, BiConsumer<String, byte[]> extraHeaders) {
        out.reset();
        boolean batch = input.shape().length > 1;
        try (JsonGenerator g = JsonSupport.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (input.envelope() instanceof ObjectNode passthrough) {
                for (Map.Entry<String, JsonNode> field : passthrough.properties()) {
                    if (!writes(field.getKey(), output)) {
                        g.writeFieldName(field.getKey());
                        JsonSupport.MAPPER.writeTree(g, field.getValue());
                    }
                }
            }
            g.writeFieldName(valuesField(output.activation()));
            writer.writeBlock(g, out, output.values(), output.rows(), output.cols(), batch);
            writeExtras(g, output, batch);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e); // no I/O happens
        }
        return out.toByteArray();
    }

    /**
     * The field the values of {@code activation} go by: probabilities for softmax and sigmoid
     * alike (each entry is one, whether or not the row sums to 1), their logs, or the scores.
     */
    static String valuesField(Activation activation) {
        return switch (activation) {
            case SOFTMAX, SIGMOID -> "probabilities";
            case LOG_SOFTMAX -> "log_probabilities";
            case NONE -> "scores";
        };
    }

    /** Whether the output has a field of this name, which then replaces a passed-through one. */
    private static boolean writes(String name, Distribution output) {
        Extras x = output.extras();
        boolean extras = output.summaries().length > 0;
        return switch (name) {
            case "probabilities", "log_probabilities", "scores" -> name.equals(valuesField(output.activation()));
            case "above_threshold" -> extras && x.thresholds().isSet();
            case "above_threshold_labels" -> extras && x.thresholds().isSet() && !x.labels().isEmpty();
            case "top_k" -> extras && x.topK() > 0;
            case "argmax" -> extras && x.argmax();
            case "argmax_label" -> extras && x.argmax() && !x.labels().isEmpty();
            case "entropy" -> extras && x.entropy();
            case "margin" -> extras && x.margin();
            default -> false;
        };
    }

    private void writeExtras(JsonGenerator g, Distribution output, boolean batch) throws IOException {
        RowSummary[] rows = output.summaries();
        if (rows.length == 0) {
            return;
        }
        Extras x = output.extras();
        Labels labels = x.labels();
        if (x.topK() > 0) {
            g.writeFieldName("top_k");
            startRows(g, batch, rows.length);
            for (RowSummary row : rows) {
                writeTopK(g, row, labels, output.activation() == Activation.NONE ? "score" : "probability");
            }
            endRows(g, batch);
        }
        if (x.argmax()) {
            g.writeFieldName("argmax");
            startRows(g, batch, rows.length);
            for (RowSummary row : rows) {
                g.writeNumber(row.argmax());
            }
            endRows(g, batch);
            if (!labels.isEmpty()) {
                g.writeFieldName("argmax_label");
                startRows(g, batch, rows.length);
                for (RowSummary row : rows) {
                    g.writeString(labels.label(row.argmax()));
                }
                endRows(g, batch);
            }
        }
        if (x.entropy()) {
            g.writeFieldName("entropy");
            startRows(g, batch, rows.length);
            for (RowSummary row : rows) {
                writer.write(g, row.entropy());
            }
            endRows(g, batch);
        }
        if (x.margin()) {
            g.writeFieldName("margin");
            startRows(g, batch, rows.length);
            for (RowSummary row : rows) {
                writer.write(g, row.margin());
            }
            endRows(g, batch);
        }
        if (x.thresholds().isSet()) {
            writeAboveThreshold(g, rows, labels, batch);
        }
    }

    /** The classes above threshold, per row, as indices and, with labels, as labels (null for a class without one). */
    private static void writeAboveThreshold(JsonGenerator g, RowSummary[] rows, Labels labels, boolean batch)
            throws IOException {
        g.writeFieldName("above_threshold");
        startRows(g, batch, rows.length);
        for (RowSummary row : rows) {
            int[] above = row.aboveThreshold();
            g.writeArray(above, 0, above.length);
        }
        endRows(g, batch);
        if (labels.isEmpty()) {
            return;
        }
        g.writeFieldName("above_threshold_labels");
        startRows(g, batch, rows.length);
        for (RowSummary row : rows) {
            int[] above = row.aboveThreshold();
            g.writeStartArray(above, above.length);
            for (int index : above) {
                g.writeString(labels.label(index));
            }
            g.writeEndArray();
        }
        endRows(g, batch);
    }

    private void writeTopK(JsonGenerator g, RowSummary row, Labels labels, String valueName) throws IOException {
        int[] indices = row.topIndices();
        g.writeStartArray(indices, indices.length);
        for (int i = 0; i < indices.length; i++) {
            g.writeStartObject();
            g.writeNumberField("index", indices[i]);
            String label = labels.label(indices[i]);
            if (label != null) {
                g.writeStringField("label", label);
            }
            g.writeFieldName(valueName);
            writer.write(g, row.topProbabilities()[i]);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void startRows(JsonGenerator g, boolean batch, int rows) throws IOException {
        if (batch) {
            g.writeStartArray(null, rows);
        }
    }

    private static void endRows(JsonGenerator g, boolean batch) throws IOException {
        if (batch) {
            g.writeEndArray();
        }
    }
}
