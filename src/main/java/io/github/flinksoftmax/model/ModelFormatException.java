package io.github.flinksoftmax.model;

/**
 * A model that cannot be used, with a message naming the file (or topic record) and the problem:
 * wrong shape, a NaN or infinite weight, a truncated file, an unsupported data type.
 */
public final class ModelFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
