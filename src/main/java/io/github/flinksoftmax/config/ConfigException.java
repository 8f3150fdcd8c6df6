package io.github.flinksoftmax.config;

/**
 * A configuration the job cannot start with. Thrown before anything is submitted; the message
 * names the key at fault and what it allows, so the user can fix the job file or the
 * {@code --set} argument without reading code.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
