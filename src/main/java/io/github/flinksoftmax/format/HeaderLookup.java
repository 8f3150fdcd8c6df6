package io.github.flinksoftmax.format;

/** Read access to a record's headers, so formats need not depend on a Kafka type. */
@FunctionalInterface
public interface HeaderLookup {

    /** The value of the last header with this key, or {@code null} when there is none. */
    byte[] lastValue(String key);

    /** A lookup that finds nothing. */
    HeaderLookup NONE = key -> null;
}
