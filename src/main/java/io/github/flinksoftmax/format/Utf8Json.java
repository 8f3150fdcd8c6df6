package io.github.flinksoftmax.format;

/**
 * Finds things in JSON bytes without parsing them: where an object member's value starts, where
 * a value ends. The fast decoding path uses it to locate the logits array; it validates nothing,
 * because Jackson then reads the rest of the record and checks that the array found is the one
 * it would read (see {@link Placeholder}). Every method returns -1 when it cannot tell, such as
 * for a member name written with escapes, and the caller then leaves the record to Jackson.
 */
final class Utf8Json {

    private Utf8Json() {}

    /** The first index at or after {@code i} that is not JSON whitespace, or {@code limit}. */
    static int skipWhitespace(byte[] b, int i, int limit) {
        while (i < limit) {
            byte c = b[i];
            // whitespace bytes are all at most ' ', so most other bytes take one comparison
            if (c > ' ' || c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return limit;
    }

    /**
     * The start of the value of the first member named {@code name} (UTF-8, no escapes) in the
     * object at {@code b[pos] == '{'}, or -1.
     */
    static int member(byte[] b, int pos, int limit, byte[] name) {
        int i = skipWhitespace(b, pos + 1, limit);
        while (i < limit && b[i] == '"') {
            int close = nameEnd(b, i + 1, limit);
            if (close < 0) {
                return -1;
            }
            boolean match = equals(b, i + 1, close, name);
            i = skipWhitespace(b, close + 1, limit);
            if (i >= limit || b[i] != ':') {
                return -1;
            }
            i = skipWhitespace(b, i + 1, limit);
            if (match) {
                return i < limit ? i : -1;
            }
            i = skipValue(b, i, limit);
            if (i < 0) {
                return -1;
            }
            i = skipWhitespace(b, i, limit);
            if (i >= limit || b[i] != ',') {
                return -1;
            }
            i = skipWhitespace(b, i + 1, limit);
        }
        return -1;
    }

    /** Whether the string at {@code b[pos] == '"'} is exactly {@code text} (UTF-8, no escapes). */
    static boolean isString(byte[] b, int pos, int limit, byte[] text) {
        if (pos < 0 || pos >= limit || b[pos] != '"') {
            return false;
        }
        int close = nameEnd(b, pos + 1, limit);
        return close >= 0 && equals(b, pos + 1, close, text);
    }

    /** The index after the value starting at {@code b[i]}, or -1. */
    static int skipValue(byte[] b, int i, int limit) {
        if (i >= limit) {
            return -1;
        }
        byte c = b[i];
        if (c == '"') {
            return stringEnd(b, i + 1, limit);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (i < limit) {
                c = b[i];
                if (c == '"') {
                    i = stringEnd(b, i + 1, limit);
                    if (i < 0) {
                        return -1;
                    }
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    return i + 1;
                }
                i++;
            }
            return -1;
        }
        int start = i;
        while (i < limit && (c = b[i]) != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            i++;
        }
        return i > start ? i : -1;
    }

    /** The index after the closing quote of the string whose content starts at {@code i}, or -1. */
    private static int stringEnd(byte[] b, int i, int limit) {
        while (i < limit) {
            byte c = b[i];
            if (c == '"') {
                return i + 1;
            }
            i += c == '\\' ? 2 : 1;
        }
        return -1;
    }

    /** The index of the closing quote of a name starting at {@code i}; -1 if it has escapes. */
    private static int nameEnd(byte[] b, int i, int limit) {
        for (; i < limit; i++) {
            if (b[i] == '"') {
                return i;
            }
            if (b[i] == '\\') {
                return -1;
            }
        }
        return -1;
    }

    private static boolean equals(byte[] b, int from, int to, byte[] text) {
        if (to - from != text.length) {
            return false;
        }
        for (int j = 0; j < text.length; j++) {
            if (b[from + j] != text[j]) {
                return false;
            }
        }
        return true;
    }
}
