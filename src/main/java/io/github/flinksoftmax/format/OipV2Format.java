package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.RowSummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The {@code oip-v2} format: Open Inference Protocol v2 response JSON, as KServe, Triton, MLServer
 * and OVMS write it. Input: {@code {model_name, model_version?, id?, parameters?, outputs: [{name,
 * shape, datatype, data}]}}; the output tensor is picked by name (the first one by default), its
 * datatype must be FP32, FP64, FP16 or BF16 (numbers in JSON), {@code data} may be flat or nested,
 * and softmax runs along the last axis of {@code shape} (rank 1 or more). Output: an OIP v2
 * response with the input's {@code model_name}, {@code model_version}, {@code id} and
 * {@code parameters} (for input of another format, what {@link EnvelopeTranslator} carries
 * over), and {@code outputs} holding the activation's values (probabilities,
 * log-probabilities or scores) as an FP32 tensor of the same shape with flat data, named
 * {@code oip.output-tensor} whatever the activation, then the extras as tensors with the input's
 * leading dimensions: {@code top_k} BYTES {@code "value:index:label"} (shape [.., k]),
 * {@code argmax} INT64, {@code entropy} FP32, {@code margin} FP32 (a rank-1 input gives these
 * shape []), and {@code above_threshold} BOOL with the values' own shape. The response's other
 * outputs are not copied. Only the chosen output's data is parsed; the others are skipped.
 */
public final class OipV2Format implements LogitsFormat {

    private static final Set<String> FLOAT_TYPES = Set.of("FP32", "FP64", "FP16", "BF16");
    private static final String FLOAT_TYPE_LIST = "FP32, FP64, FP16, BF16";
    private static final byte[] OUTPUTS = "outputs".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NAME = "name".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);

    private final String wanted;
    private final byte[] wantedBytes;
    private final String outputName;
    private final int maxLength;
    private final JsonFloatReader floats;
    private final Utf8ArrayReader arrays;
    private final boolean fastPath;
    private final Placeholder placeholder = new Placeholder();
    private final JsonFloatWriter writer = new JsonFloatWriter();
    private final ClassificationText text = new ClassificationText();
    private final StringBuilder item = new StringBuilder();
    private final ByteSink out = new ByteSink(8192);
    private final Decoding.Body body = this::read;

    /** What the response carries besides the tensor, needed again for the output. */
    record Envelope(JsonNode modelName, JsonNode modelVersion, JsonNode id, JsonNode parameters) {}

    /** The chosen output tensor's header; its data is in {@link #floats}, or absent. */
    private record Tensor(int index, String datatype, long[] shape, boolean hasData) {}

    public OipV2Format(FormatSettings settings) {
        this(settings, true);
    }

    /** With {@code fastPath} false every record takes the Jackson path: for the test that both paths agree. */
    OipV2Format(FormatSettings settings, boolean fastPath) {
        this.fastPath = fastPath;
        this.wanted = settings.oipInputTensor();
        this.wantedBytes = wanted.getBytes(StandardCharsets.UTF_8);
        this.outputName = settings.oipOutputTensor();
        this.maxLength = settings.maxLength();
        this.floats = new JsonFloatReader(maxLength);
        this.arrays = new Utf8ArrayReader(maxLength);
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
     * The fast path: the wanted output's data is found and read straight from the bytes and
     * Jackson reads only the rest (see {@link Placeholder}). Returns null, having changed nothing
     * the Jackson path relies on, for any record it is not sure of, valid or not.
     */
    private Logits readFast(byte[] value) {
        int len = value.length;
        int start = Utf8Json.skipWhitespace(value, 0, len);
        if (start >= len || value[start] != '{') {
            return null;
        }
        try {
            int outputs = Utf8Json.member(value, start, len, OUTPUTS);
            if (outputs < 0 || value[outputs] != '[') {
                return null;
            }
            for (int i = Utf8Json.skipWhitespace(value, outputs + 1, len); i < len && value[i] == '{'; ) {
                if (wanted.isEmpty() || Utf8Json.isString(value, Utf8Json.member(value, i, len, NAME), len, wantedBytes)) {
                    int data = Utf8Json.member(value, i, len, DATA);
                    if (data < 0 || value[data] != '[' || !arrays.readNested(value, data, len)) {
                        return null;
                    }
                    placeholder.replace(value, data, arrays.end());
                    Logits logits = read(placeholder.copy(), placeholder.length());
                    return placeholder.taken() ? logits : null;
                }
                i = Utf8Json.skipValue(value, i, len);
                i = i < 0 ? len : Utf8Json.skipWhitespace(value, i, len);
                if (i >= len || value[i] != ',') {
                    return null;
                }
                i = Utf8Json.skipWhitespace(value, i + 1, len);
            }
            return null;
        } catch (BadRecordException | IOException | RuntimeException e) {
            return null; // the Jackson path reads the original and says what is wrong in its words
        } finally {
            placeholder.clear();
        }
    }

    private Logits read(byte[] value, int length) throws BadRecordException, IOException {
        floats.clear();
        try (JsonParser parser = JsonSupport.FACTORY.createParser(value, 0, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new BadRecordException(Reason.MALFORMED_JSON, "the value is empty; expected an OIP v2 response object");
            }
            if (first != JsonToken.START_OBJECT) {
                throw JsonSupport.wrongType("the value", first, "an OIP v2 response object");
            }
            JsonNode modelName = null;
            JsonNode modelVersion = null;
            JsonNode id = null;
            JsonNode parameters = null;
            List<String> names = null;
            Tensor chosen = null;
            for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                switch (field) {
                    case "model_name" -> modelName = JsonSupport.MAPPER.readTree(parser);
                    case "model_version" -> modelVersion = JsonSupport.MAPPER.readTree(parser);
                    case "id" -> id = JsonSupport.MAPPER.readTree(parser);
                    case "parameters" -> parameters = JsonSupport.MAPPER.readTree(parser);
                    case "outputs" -> {
                        if (names != null) {
                            throw new BadRecordException(Reason.MALFORMED_JSON, "outputs appears twice; expected one field");
                        }
                        names = new ArrayList<>(4);
                        chosen = readOutputs(parser, valueToken, names);
                    }
                    default -> parser.skipChildren();
                }
            }
            JsonSupport.requireEnd(parser);
            if (names == null) {
                throw new BadRecordException(Reason.MISSING_FIELD, "outputs is missing; expected the response's output tensors");
            }
            if (chosen == null) {
                throw new BadRecordException(Reason.UNKNOWN_OUTPUT, names.isEmpty()
                        ? "outputs is empty; expected " + (wanted.isEmpty() ? "at least one output" : "an output named " + wanted)
                        : "no output named " + wanted + "; the response has " + String.join(", ", names));
            }
            return toLogits(chosen, new Envelope(modelName, modelVersion, id, parameters));
        }
    }

    /** Reads the outputs array; returns the wanted tensor, if any, with its data in {@link #floats}. */
    private Tensor readOutputs(JsonParser parser, JsonToken start, List<String> names)
            throws IOException, BadRecordException {
        if (start != JsonToken.START_ARRAY) {
            throw JsonSupport.wrongType("outputs", start, "an array of output tensors");
        }
        Tensor chosen = null;
        int index = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken(), index++) {
            if (t != JsonToken.START_OBJECT) {
                throw JsonSupport.wrongType("outputs[" + index + "]", t, "an output tensor object");
            }
            Tensor tensor = readTensor(parser, index, chosen != null, names);
            chosen = chosen == null ? tensor : chosen;
        }
        return chosen;
    }

    /**
     * Reads one output object. Its data is parsed only while it may be the wanted one: servers
     * write {@code name} first, so other outputs' data is skipped unread.
     *
     * @return the tensor when it is the wanted one, else null
     */
    private Tensor readTensor(JsonParser parser, int index, boolean alreadyChosen, List<String> names)
            throws IOException, BadRecordException {
        String at = "outputs[" + index + "]";
        Boolean selected = alreadyChosen ? Boolean.FALSE : wanted.isEmpty() ? Boolean.TRUE : null;
        String name = null;
        String datatype = null;
        long[] shape = null;
        boolean hasData = false;
        for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
            String field = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            switch (field) {
                case "name" -> {
                    name = string(parser, valueToken, at + ".name");
                    selected = selected == null ? name.equals(wanted) : selected;
                }
                case "datatype" -> datatype = string(parser, valueToken, at + ".datatype");
                case "shape" -> {
                    if (Boolean.FALSE.equals(selected)) {
                        parser.skipChildren();
                    } else {
                        shape = readShape(parser, valueToken, at + ".shape");
                    }
                }
                case "data" -> {
                    boolean unusable = datatype != null && !FLOAT_TYPES.contains(datatype);
                    if (Boolean.FALSE.equals(selected) || unusable) {
                        parser.skipChildren();
                        break;
                    }
                    if (hasData) {
                        throw new BadRecordException(Reason.MALFORMED_JSON, at + ".data appears twice; expected one field");
                    }
                    if (valueToken != JsonToken.START_ARRAY) {
                        throw JsonSupport.wrongType(at + ".data", valueToken, "an array of numbers");
                    }
                    if (Boolean.TRUE.equals(selected) && declaresTooMany(shape)) {
                        throw Shapes.tooLong(at, Shapes.product(shape), maxLength); // before reading it
                    }
                    floats.clear();
                    if (placeholder.takes(parser)) {
                        floats.load(arrays, null);
                    } else {
                        floats.readNested(parser, at + ".data");
                    }
                    hasData = true;
                }
                default -> parser.skipChildren();
            }
        }
        names.add(name == null ? "(unnamed)" : name);
        if (Boolean.TRUE.equals(selected)) {
            return new Tensor(index, datatype, shape, hasData);
        }
        if (hasData) { // read before its name showed it is not the wanted one; the chosen one's data stays
            floats.clear();
        }
        return null;
    }

    /** Whether a well-formed shape already says the data will not fit; bad shapes are judged later. */
    private boolean declaresTooMany(long[] shape) {
        if (shape == null) {
            return false;
        }
        for (long d : shape) {
            if (d < 0) {
                return false;
            }
        }
        return Shapes.product(shape) > maxLength;
    }

    private static String string(JsonParser parser, JsonToken token, String where) throws IOException, BadRecordException {
        if (token != JsonToken.VALUE_STRING) {
            throw JsonSupport.wrongType(where, token, "a string");
        }
        return parser.getText();
    }

    /** Reads the dimensions; whether they make sense is judged only for the chosen output. */
    private static long[] readShape(JsonParser parser, JsonToken start, String where) throws IOException, BadRecordException {
        if (start != JsonToken.START_ARRAY) {
            throw JsonSupport.wrongType(where, start, "an array of dimensions");
        }
        long[] dims = new long[4];
        int rank = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw JsonSupport.wrongType(where + "[" + rank + "]", t, "a non-negative integer");
            }
            // beyond long, a dimension saturates: the shape is then too long whatever the data
            long dim = parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? parser.getLongValue()
                    : parser.getBigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, rank * 2);
            }
            dims[rank++] = dim;
        }
        return Arrays.copyOf(dims, rank);
    }

    private Logits toLogits(Tensor tensor, Envelope envelope) throws BadRecordException {
        String at = "outputs[" + tensor.index() + "]";
        if (tensor.datatype() == null) {
            throw new BadRecordException(Reason.MISSING_FIELD, at + ".datatype is missing; expected one of " + FLOAT_TYPE_LIST);
        }
        if (!FLOAT_TYPES.contains(tensor.datatype())) {
            throw new BadRecordException(Reason.UNSUPPORTED_DATATYPE,
                    at + ".datatype is " + tensor.datatype() + "; expected one of " + FLOAT_TYPE_LIST);
        }
        if (tensor.shape() == null) {
            throw new BadRecordException(Reason.MISSING_FIELD, at + ".shape is missing; expected the tensor's dimensions");
        }
        if (tensor.shape().length == 0) {
            throw new BadRecordException(Reason.SHAPE_MISMATCH, at + ".shape is []; expected at least one dimension,"
                    + " the last one the classes");
        }
        for (int i = 0; i < tensor.shape().length; i++) {
            if (tensor.shape()[i] < 0) {
                throw new BadRecordException(Reason.SHAPE_MISMATCH, at + ".shape[" + i + "] is "
                        + (tensor.shape()[i] == Long.MIN_VALUE ? "below -2^63" : tensor.shape()[i])
                        + "; expected a non-negative integer");
            }
        }
        if (!tensor.hasData()) {
            throw new BadRecordException(Reason.MISSING_FIELD, at + ".data is missing; expected the tensor's values");
        }
        long product = Shapes.product(tensor.shape());
        if (product > maxLength) {
            throw Shapes.tooLong(at, product, maxLength);
        }
        if (product != floats.size()) {
            throw new BadRecordException(Reason.SHAPE_MISMATCH, at + ".shape " + Arrays.toString(tensor.shape())
                    + " holds " + product + " elements; data has " + floats.size());
        }
        int[] shape = new int[tensor.shape().length];
        for (int i = 0; i < shape.length; i++) {
            // product <= maxLength, so a dimension overflows int only next to a zero one
            shape[i] = (int) Math.min(Integer.MAX_VALUE, tensor.shape()[i]);
        }
        return Shapes.logits(floats.toArray(), shape, envelope, at);
    }

    @Override
    public byte[] encode(Logits input, Distribution output, BiConsumer<String, byte[]> extraHeaders) {
        out.reset();
        try (JsonGenerator g = JsonSupport.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (input.envelope() instanceof Envelope env) {
                writeNode(g, "model_name", env.modelName());
                writeNode(g, "model_version", env.modelVersion());
                writeNode(g, "id", env.id());
                writeNode(g, "parameters", env.parameters());
            }
            g.writeArrayFieldStart("outputs");
            startTensor(g, outputName, "FP32", input.shape());
            writer.writeArray(g, out, output.values(), 0, output.rows() * output.cols());
            g.writeEndObject();
            writeExtras(g, output, Shapes.leading(input.shape()));
            if (output.summaries().length > 0 && output.extras().thresholds().isSet()) {
                writeAboveThreshold(g, output, input.shape());
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e); // no I/O happens
        }
        return out.toByteArray();
    }

    private static void writeNode(JsonGenerator g, String name, JsonNode node) throws IOException {
        if (node != null) {
            g.writeFieldName(name);
            JsonSupport.MAPPER.writeTree(g, node);
        }
    }

    /** Writes a tensor's name, datatype and shape and opens its data field's value. */
    private static void startTensor(JsonGenerator g, String name, String datatype, int[] shape) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("datatype", datatype);
        g.writeFieldName("shape");
        g.writeArray(shape, 0, shape.length);
        g.writeFieldName("data");
    }

    private void writeExtras(JsonGenerator g, Distribution output, int[] leading) throws IOException {
        RowSummary[] rows = output.summaries();
        if (rows.length == 0) {
            return;
        }
        Extras x = output.extras();
        if (x.topK() > 0) {
            int k = rows[0].topIndices().length;
            int[] shape = Arrays.copyOf(leading, leading.length + 1);
            shape[leading.length] = k;
            startTensor(g, "top_k", "BYTES", shape);
            g.writeStartArray(null, rows.length * k);
            for (RowSummary row : rows) {
                for (int i = 0; i < k; i++) {
                    item.setLength(0);
                    text.appendTopK(item, row, i, x.labels());
                    g.writeString(item.toString());
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        if (x.argmax()) {
            startTensor(g, "argmax", "INT64", leading);
            g.writeStartArray(null, rows.length);
            for (RowSummary row : rows) {
                g.writeNumber(row.argmax());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        if (x.entropy()) {
            writeRowFloats(g, "entropy", leading, rows, true);
        }
        if (x.margin()) {
            writeRowFloats(g, "margin", leading, rows, false);
        }
    }

    /**
     * The classes above threshold as a BOOL tensor of the values' own shape: OIP tensors are
     * rectangular, and rows list different numbers of classes, so a flag per class it is.
     */
    private static void writeAboveThreshold(JsonGenerator g, Distribution output, int[] shape) throws IOException {
        startTensor(g, "above_threshold", "BOOL", shape);
        RowSummary[] rows = output.summaries();
        g.writeStartArray(null, rows.length * output.cols());
        for (RowSummary row : rows) {
            int[] above = row.aboveThreshold();
            int next = 0;
            for (int i = 0; i < output.cols(); i++) {
                boolean on = next < above.length && above[next] == i;
                next += on ? 1 : 0;
                g.writeBoolean(on);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void writeRowFloats(JsonGenerator g, String name, int[] leading, RowSummary[] rows, boolean entropy)
            throws IOException {
        startTensor(g, name, "FP32", leading);
        g.writeStartArray(null, rows.length);
        for (RowSummary row : rows) {
            writer.write(g, entropy ? row.entropy() : row.margin());
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
