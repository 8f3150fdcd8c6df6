package io.github.flinksoftmax.format;

/**
 * Why a record went to the dead-letter topic. {@link #code()} is the stable, machine-readable
 * value of the {@code reason} header: consumers of the dead-letter topic may switch on it, so
 * codes are never renamed.
 */
public enum Reason {
    MALFORMED_JSON("malformed-json"),
    WRONG_TYPE("wrong-type"),
    MISSING_FIELD("missing-field"),
    NON_FINITE_INPUT("non-finite-input"),
    EMPTY_VECTOR("empty-vector"),
    ALL_MASKED("all-masked"),
    TOO_LONG("too-long"),
    SHAPE_MISMATCH("shape-mismatch"),
    BAD_LENGTH("bad-length"),
    UNKNOWN_OUTPUT("unknown-output"),
    UNSUPPORTED_DATATYPE("unsupported-datatype"),
    /** The record has no value at all (a Kafka tombstone), as opposed to an empty one. */
    EMPTY_RECORD("empty-record"),
    /** Anything the decoder did not foresee; the message says what. */
    UNREADABLE("unreadable"),
    /** A job that scores with a model from {@code model.topic} has received none yet. */
    NO_MODEL("no-model");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    /** The stable header value, such as {@code malformed-json}. */
    public String code() {
        return code;
    }
}
