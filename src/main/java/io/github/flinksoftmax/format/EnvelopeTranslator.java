package io.github.flinksoftmax.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

/**
 * Carries what a decoded record holds besides its logits into the envelope another format writes,
 * so nothing is dropped where the output format has a place for it. The common ground is a JSON
 * object of named fields, which is what the {@code json} format passes through: an OIP v2
 * response's {@code model_name}, {@code model_version}, {@code id} and {@code parameters} become
 * fields of those names, and back; the other fields of a {@code json} object, which OIP has no
 * top-level place for, go into {@code parameters} (its own members win a clash). {@code float32le}
 * values have no room for fields, so its envelope only asks for the record's shape in a header.
 * Stateless; docs/formats.md shows each direction.
 */
final class EnvelopeTranslator {

    /** The response fields OIP v2 has a top-level place for, besides {@code outputs}. */
    static final String MODEL_NAME = "model_name";
    static final String MODEL_VERSION = "model_version";
    static final String ID = "id";
    static final String PARAMETERS = "parameters";
    private static final Set<String> OIP_FIELDS = Set.of(MODEL_NAME, MODEL_VERSION, ID, PARAMETERS);

    private EnvelopeTranslator() {}

    /**
     * The envelope {@code target}'s encoder reads, made from {@code envelope} as any format's
     * decoder left it ({@code null} when the input held nothing besides its logits).
     */
    static Object translate(Object envelope, WireFormat target) {
        return switch (target) {
            case JSON -> fields(envelope);
            case OIP_V2 -> response(envelope);
            case FLOAT32LE -> Float32LeFormat.Envelope.ANNOUNCE_SHAPE;
        };
    }

    /** The {@code json} envelope: the fields to pass through, in order, or {@code null} for none. */
    private static ObjectNode fields(Object envelope) {
        if (envelope instanceof ObjectNode passthrough) {
            return passthrough;
        }
        if (!(envelope instanceof OipV2Format.Envelope oip)) {
            return null;
        }
        ObjectNode fields = JsonSupport.MAPPER.createObjectNode();
        putIfPresent(fields, MODEL_NAME, oip.modelName());
        putIfPresent(fields, MODEL_VERSION, oip.modelVersion());
        putIfPresent(fields, ID, oip.id());
        putIfPresent(fields, PARAMETERS, oip.parameters());
        return fields.isEmpty() ? null : fields;
    }

    /** The {@code oip-v2} envelope, or {@code null} when the input carried nothing a response has room for. */
    private static OipV2Format.Envelope response(Object envelope) {
        if (envelope instanceof OipV2Format.Envelope oip) {
            return oip;
        }
        if (!(envelope instanceof ObjectNode fields)) {
            return null;
        }
        return new OipV2Format.Envelope(fields.get(MODEL_NAME), fields.get(MODEL_VERSION), fields.get(ID),
                parameters(fields));
    }

    /** The object's {@code parameters} members, then its fields OIP has no other place for; null when none. */
    private static ObjectNode parameters(ObjectNode fields) {
        ObjectNode parameters = JsonSupport.MAPPER.createObjectNode();
        JsonNode own = fields.get(PARAMETERS);
        if (own instanceof ObjectNode object) {
            parameters.setAll(object);
        }
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            String name = field.getKey();
            // a parameters field that is no object has no place of its own: it is one parameter like any other
            boolean placed = OIP_FIELDS.contains(name) && (!name.equals(PARAMETERS) || own instanceof ObjectNode);
            if (!placed && !parameters.has(name)) {
                parameters.set(name, field.getValue());
            }
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static void putIfPresent(ObjectNode fields, String name, JsonNode value) {
        if (value != null) {
            fields.set(name, value);
        }
    }
}
