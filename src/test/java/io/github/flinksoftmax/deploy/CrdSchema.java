package io.github.flinksoftmax.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A CustomResourceDefinition's served version and its {@code openAPIV3Schema}, and a check of a
 * resource against them, so a manifest is judged by the operator's published schema rather than by a
 * list of fields written here.
 *
 * <p>The check is the structural part of what the Kubernetes API server does with a custom resource,
 * for the schema keywords a Fabric8-generated CRD uses ({@code type}, {@code properties},
 * {@code additionalProperties}, {@code items}, {@code enum}, {@code required}, {@code anyOf},
 * {@code x-kubernetes-int-or-string}, {@code x-kubernetes-preserve-unknown-fields}); a keyword it
 * does not know is itself reported, so a newer schema cannot pass silently. A field the schema does
 * not declare is a violation: the API server would drop it (pruning) with only a warning, and
 * {@code kubectl apply --validate=strict} refuses it. Formats, patterns and CEL rules are not checked.
 */
final class CrdSchema {

    private static final List<String> KNOWN_KEYWORDS = List.of("type", "properties", "additionalProperties", "items",
            "enum", "required", "anyOf", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
            "description", "nullable", "default");

    private final String group;
    private final String kind;
    private final String version;
    private final JsonNode schema;

    private CrdSchema(String group, String kind, String version, JsonNode schema) {
        this.group = group;
        this.kind = kind;
        this.version = version;
        this.schema = schema;
    }

    /** Reads a CRD file holding one served version (the operator's CRDs do). */
    static CrdSchema read(InputStream crdYaml) throws IOException {
        JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(crdYaml);
        List<JsonNode> served = new ArrayList<>();
        crd.path("spec").path("versions").forEach(v -> {
            if (v.path("served").asBoolean()) {
                served.add(v);
            }
        });
        if (served.size() != 1) {
            throw new IllegalArgumentException("Expected one served version in the CRD, found " + served.size());
        }
        JsonNode v = served.get(0);
        return new CrdSchema(crd.path("spec").path("group").asText(), crd.path("spec").path("names").path("kind").asText(),
                v.path("name").asText(), v.path("schema").path("openAPIV3Schema"));
    }

    /** {@code group/version}, what a resource's {@code apiVersion} must say. */
    String apiVersion() {
        return group + "/" + version;
    }

    String kind() {
        return kind;
    }

    /** The schema of one property path below the root, e.g. {@code spec.job.upgradeMode}. */
    JsonNode schemaOf(String dottedPath) {
        JsonNode node = schema;
        for (String name : dottedPath.split("\\.")) {
            node = node.path("properties").path(name);
        }
        return node;
    }

    /**
     * Everything about {@code resource} the schema forbids, one line each naming the path; empty
     * when it conforms. {@code apiVersion}, {@code kind} and {@code metadata} are checked as the API
     * server does for every resource (group/version and kind match, a metadata name is set).
     */
    List<String> violations(JsonNode resource) {
        List<String> out = new ArrayList<>();
        if (!apiVersion().equals(resource.path("apiVersion").asText())) {
            out.add(String.format("apiVersion: '%s', allowed: '%s'", resource.path("apiVersion").asText(), apiVersion()));
        }
        if (!kind.equals(resource.path("kind").asText())) {
            out.add(String.format("kind: '%s', allowed: '%s'", resource.path("kind").asText(), kind));
        }
        if (!resource.path("metadata").path("name").isTextual()) {
            out.add("metadata.name: missing");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = resource.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata")) {
                continue;
            }
            JsonNode fieldSchema = schema.path("properties").get(name);
            if (fieldSchema == null) {
                out.add(String.format("%s: unknown field", name));
            } else {
                check(field.getValue(), fieldSchema, name, out);
            }
        }
        return out;
    }

    private static void check(JsonNode value, JsonNode s, String path, List<String> out) {
        s.fieldNames().forEachRemaining(keyword -> {
            if (!KNOWN_KEYWORDS.contains(keyword)) {
                out.add(String.format("%s: schema keyword '%s' is not checked by this test", path, keyword));
            }
        });
        if (value.isNull()) {
            if (!s.path("nullable").asBoolean()) {
                out.add(path + ": null, not nullable");
            }
            return;
        }
        if (s.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                out.add(String.format("%s: %s, allowed: an integer or a string", path, value));
            }
            return;
        }
        if (s.has("anyOf")) {
            boolean any = false;
            for (JsonNode option : s.get("anyOf")) {
                List<String> tried = new ArrayList<>();
                check(value, option, path, tried);
                any |= tried.isEmpty();
            }
            if (!any) {
                out.add(String.format("%s: %s matches none of %s", path, value, s.get("anyOf")));
            }
        }
        boolean preserveUnknown = s.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        String type = s.path("type").asText("");
        switch (type) {
            case "object" -> checkObject(value, s, path, preserveUnknown, out);
            case "array" -> {
                if (!value.isArray()) {
                    out.add(String.format("%s: %s, allowed: an array", path, value));
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), s.path("items"), path + "[" + i + "]", out);
                }
            }
            case "string" -> expect(value.isTextual(), "a string", value, path, out);
            case "integer" -> expect(value.isIntegralNumber(), "an integer", value, path, out);
            case "number" -> expect(value.isNumber(), "a number", value, path, out);
            case "boolean" -> expect(value.isBoolean(), "a boolean", value, path, out);
            case "" -> {
                if (!preserveUnknown && !s.has("anyOf")) {
                    out.add(path + ": the schema gives no type and does not preserve unknown fields");
                }
            }
            default -> out.add(String.format("%s: schema type '%s' is not checked by this test", path, type));
        }
        if (s.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : s.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                out.add(String.format("%s: %s, allowed: %s", path, value, s.get("enum")));
            }
        }
    }

    private static void checkObject(JsonNode value, JsonNode s, String path, boolean preserveUnknown, List<String> out) {
        if (!value.isObject()) {
            out.add(String.format("%s: %s, allowed: an object", path, value));
            return;
        }
        for (JsonNode required : s.path("required")) {
            if (!value.has(required.asText())) {
                out.add(String.format("%s.%s: required, missing", path, required.asText()));
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String child = path + "." + field.getKey();
            JsonNode declared = s.path("properties").get(field.getKey());
            if (declared != null) {
                check(field.getValue(), declared, child, out);
            } else if (s.path("additionalProperties").isObject()) {
                check(field.getValue(), s.get("additionalProperties"), child, out);
            } else if (!preserveUnknown && !s.path("additionalProperties").asBoolean(false)) {
                out.add(child + ": unknown field");
            }
        }
    }

    private static void expect(boolean ok, String allowed, JsonNode value, String path, List<String> out) {
        if (!ok) {
            out.add(String.format("%s: %s, allowed: %s", path, value, allowed));
        }
    }
}
