package io.github.flinksoftmax.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a model from JSON as scikit-learn users export it:
 * {@code {"coef": [[...], ...], "intercept": [...], "classes": [...], "version": "..."}}, with the
 * attribute names {@code coef_}, {@code intercept_}, {@code classes_} accepted too ({@code json.dump}
 * of {@code vars(model)} with the arrays as lists). {@code coef} is {@code [K, D]}; {@code intercept}
 * has {@code K} numbers; {@code classes} (optional) names the classes, numbers taken as text;
 * {@code version} (optional) is text or a number. {@code NaN} and {@code Infinity} tokens are read,
 * so that such a weight is refused by name rather than as malformed JSON. Stateless, thread-safe.
 */
public final class JsonModelReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build())
            .build();

    private JsonModelReader() {}

    /**
     * @param source names the file or record in messages
     * @param defaultVersion the version when the JSON has none
     */
    public static Model read(byte[] bytes, String source, String defaultVersion) throws ModelFormatException {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new ModelFormatException(source + ": unreadable JSON: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(source + ": expected a JSON object with coef and intercept");
        }
        JsonNode coef = field(root, "coef", source, true);
        JsonNode intercept = field(root, "intercept", source, true);
        JsonNode classesNode = field(root, "classes", source, false);
        JsonNode versionNode = root.get("version");
        if (!coef.isArray() || coef.isEmpty()) {
            throw new ModelFormatException(source + ": coef must be a non-empty array of rows, one per class");
        }
        int k = coef.size();
        int d = -1;
        float[] w = null;
        for (int j = 0; j < k; j++) {
            JsonNode row = coef.get(j);
            if (!row.isArray()) {
                throw new ModelFormatException(source + ": coef[" + j + "] is not an array; coef must be [K, D]");
            }
            if (d < 0) {
                d = row.size();
                if (d == 0) {
                    throw new ModelFormatException(source + ": coef[0] is empty; a model needs at least one feature");
                }
                w = new float[Math.multiplyExact(k, d)];
            } else if (row.size() != d) {
                throw new ModelFormatException(source + ": coef[" + j + "] has " + row.size() + " weights, coef[0] has "
                        + d + "; coef must be [K, D]");
            }
            for (int i = 0; i < d; i++) {
                w[j * d + i] = number(row.get(i), "coef[" + j + "][" + i + "]", source);
            }
        }
        if (intercept.isNumber() && k == 1) {
            intercept = MAPPER.createArrayNode().add(intercept);
        }
        if (!intercept.isArray()) {
            throw new ModelFormatException(source + ": intercept must be an array of " + k + " numbers");
        }
        float[] b = new float[intercept.size()];
        for (int j = 0; j < b.length; j++) {
            b[j] = number(intercept.get(j), "intercept[" + j + "]", source);
        }
        if (b.length != k) {
            throw new ModelFormatException(source + ": intercept has " + b.length + " numbers; coef has " + k
                    + " rows, so expected " + k);
        }
        List<String> classes = new ArrayList<>();
        if (classesNode != null && !classesNode.isNull()) {
            if (!classesNode.isArray()) {
                throw new ModelFormatException(source + ": classes must be an array of names");
            }
            for (JsonNode c : classesNode) {
                if (!c.isValueNode() || c.isNull()) {
                    throw new ModelFormatException(source + ": classes must hold strings or numbers; found " + c);
                }
                classes.add(c.asText());
            }
            if (classes.size() != k && !(k == 1 && classes.size() == 2)) {
                throw new ModelFormatException(source + ": classes has " + classes.size() + " names; coef has " + k
                        + " rows");
            }
        }
        String version = defaultVersion;
        if (versionNode != null && !versionNode.isNull()) {
            if (!versionNode.isValueNode() || versionNode.asText().isBlank()) {
                throw new ModelFormatException(source + ": version must be a non-blank string or number");
            }
            version = versionNode.asText();
        }
        return Models.build(w, b, k, d, classes, version, source);
    }

    /** {@code name} or {@code name_}; both present is ambiguous. */
    private static JsonNode field(JsonNode root, String name, String source, boolean required)
            throws ModelFormatException {
        JsonNode plain = root.get(name);
        JsonNode underscored = root.get(name + "_");
        if (plain != null && underscored != null) {
            throw new ModelFormatException(source + ": both " + name + " and " + name + "_ are set; expected one");
        }
        JsonNode node = plain != null ? plain : underscored;
        if (node == null && required) {
            throw new ModelFormatException(source + ": missing field " + name + " (or " + name + "_)");
        }
        return node;
    }

    private static float number(JsonNode n, String where, String source) throws ModelFormatException {
        if (n == null || !n.isNumber()) {
            throw new ModelFormatException(source + ": " + where + " is " + (n == null ? "missing" : n.getNodeType())
                    + "; expected a number");
        }
        float v = (float) n.doubleValue();
        if (!Float.isFinite(v)) {
            throw new ModelFormatException(source + ": " + where + " is " + (Double.isNaN(n.doubleValue()) ? "NaN"
                    : n.doubleValue() + (Double.isInfinite(n.doubleValue()) ? "" : " (beyond float range)"))
                    + "; every weight must be finite");
        }
        return v;
    }
}
