package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * The Jackson setup both JSON formats share. Reading accepts {@code NaN}, {@code Infinity} and
 * {@code -Infinity} (Python's {@code json.dumps} writes them) and writing emits them bare for the
 * same readers; passed-through numbers are kept as BigDecimal, digit for digit. Both objects are
 * immutable after construction and thread-safe.
 */
final class JsonSupport {

    /** Deeper nesting is rejected as malformed-json, before any recursion can exhaust the stack. */
    static final int MAX_NESTING_DEPTH = 1_000;
    /** Longer numbers are rejected as malformed-json; parsing them costs time quadratic in their length. */
    static final int MAX_NUMBER_LENGTH = 1_000;

    // the limits are set here, not left to Jackson's defaults, which any library may change JVM-wide
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH).build())
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    /** For the pass-through parts only (envelopes, extra fields); numeric arrays are streamed. */
    static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private JsonSupport() {}

    /** What a token is, for messages: "a string", "an object"... */
    static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    /** Jackson's own words without the echo of the input; the position as line and column. */
    static String describe(IOException e) {
        if (e instanceof JsonProcessingException j) {
            JsonLocation at = j.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return j.getOriginalMessage() + where;
        }
        return e.toString();
    }

    static BadRecordException wrongType(String where, JsonToken found, String expected) {
        return new BadRecordException(Reason.WRONG_TYPE, where + " is " + describe(found) + "; expected " + expected);
    }

    /** Rejects anything after the root value, which Jackson would otherwise read as a second document. */
    static void requireEnd(JsonParser parser) throws IOException, BadRecordException {
        JsonToken extra = parser.nextToken();
        if (extra != null) {
            throw new BadRecordException(Reason.MALFORMED_JSON, "trailing content after the JSON value: "
                    + describe(extra) + " at line " + parser.currentTokenLocation().getLineNr()
                    + ", column " + parser.currentTokenLocation().getColumnNr());
        }
    }
}
