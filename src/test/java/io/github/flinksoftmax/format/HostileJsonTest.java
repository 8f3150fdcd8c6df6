package io.github.flinksoftmax.format;

import org.junit.jupiter.api.Test;

import static io.github.flinksoftmax.format.Fixtures.assertRejected;
import static io.github.flinksoftmax.format.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented outcomes of adversarial JSON (README, "Limits and hostile input"): nesting
 * beyond 1,000 levels and numbers longer than 1,000 characters are {@code malformed-json};
 * numbers beyond the float range become infinities (so {@code 1e39} is later a
 * {@code non-finite-input} row and {@code -1e39} a masked entry) and tiny ones zero; a
 * passed-through number whose exponent no BigDecimal holds is {@code malformed-json}.
 */
class HostileJsonTest {

    private final JsonFormat json = new JsonFormat(FormatSettings.DEFAULTS);
    private final OipV2Format oip = new OipV2Format(FormatSettings.DEFAULTS);

    @Test
    void nestingBeyondTheLimitIsMalformed() {
        int depth = JsonSupport.MAX_NESTING_DEPTH + 1;
        String deep = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        assertRejected(json, "{\"logits\": [1, 2], \"meta\": " + deep + "}", Reason.MALFORMED_JSON, "nesting depth");
        // the logits themselves are read no deeper than rows: a third level is refused at once
        assertRejected(json, "[".repeat(100_000), Reason.WRONG_TYPE, "[0][0] is an array");
        assertRejected(oip, "{\"outputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": "
                + "[".repeat(depth) + "1" + "]".repeat(depth) + "}]}", Reason.MALFORMED_JSON, "nesting depth");
    }

    @Test
    void nestingWithinTheLimitIsPassedThrough() throws Exception {
        int depth = JsonSupport.MAX_NESTING_DEPTH - 2; // the root object and the member hold two levels
        String deep = "[".repeat(depth) + "]".repeat(depth);
        Logits logits = json.decode(utf8("{\"logits\": [1, 2], \"meta\": " + deep + "}"), HeaderLookup.NONE);
        assertThat(logits.values()).containsExactly(1f, 2f);
    }

    @Test
    void numbersBeyondFloatRangeBecomeInfinitiesAndTinyOnesZero() throws Exception {
        Logits logits = json.decode(utf8("[1e39, -1e39, 1e-50, -1e-50, 3.4028236E38, 1e999999999]"), HeaderLookup.NONE);
        assertThat(logits.values()).containsExactly(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
                Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    @Test
    void overlongNumbersAreMalformed() {
        assertRejected(json, "[" + "9".repeat(JsonSupport.MAX_NUMBER_LENGTH + 1) + "]", Reason.MALFORMED_JSON,
                "Number value length");
        assertRejected(json, "{\"logits\": [1], \"n\": 0." + "0".repeat(2_000) + "1}", Reason.MALFORMED_JSON,
                "Number value length");
    }

    @Test
    void aPassedThroughNumberNoBigDecimalHoldsIsMalformed() {
        // found by FormatFuzzTest: Jackson threw NumberFormatException, which surfaced as 'unreadable'
        assertRejected(json, "{\"logits\": [1], \"n\": 1E30000000000}", Reason.MALFORMED_JSON, "number out of range");
    }
}
