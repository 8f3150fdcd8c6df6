package io.github.flinksoftmax.format;

/**
 * A record that cannot be processed, with the {@link Reason} that goes into the dead-letter
 * headers. It is an expected outcome on the per-record path, not a failure of the job, so it
 * carries no stack trace: a storm of bad records must cost no more than good ones.
 */
public final class BadRecordException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public BadRecordException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
