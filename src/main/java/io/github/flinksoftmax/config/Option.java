package io.github.flinksoftmax.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.apache.flink.util.TimeUtils;

/**
 * One configuration key: its name, type, default, description and validation, declared once in
 * {@link SoftmaxOptions}. Everything else (the job file, {@code --set}, the README table) refers
 * to these declarations. Values arrive as YAML scalars or lists, or as {@code --set} strings, so
 * {@link #parse} accepts both.
 *
 * @param <T> the parsed type
 */
public final class Option<T extends Serializable> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Turns a raw value into a {@code T} or explains, in terms of what is allowed, why not. */
    @FunctionalInterface
    interface Parser<T> extends Serializable {
        T parse(Object raw) throws IllegalArgumentException;
    }

    private final String key;
    private final T defaultValue;
    private final String allowed;
    private final String description;
    private final Parser<T> parser;

    private Option(String key, T defaultValue, String allowed, String description, Parser<T> parser) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.allowed = allowed;
        this.description = description;
        this.parser = parser;
    }

    public String key() {
        return key;
    }

    /** The default, or {@code null} when the key has none (required, or optional and unset). */
    public T defaultValue() {
        return defaultValue;
    }

    /** What values the key takes, in words, such as {@code "json, oip-v2, float32le"}. */
    public String allowed() {
        return allowed;
    }

    public String description() {
        return description;
    }

    /**
     * Parses a raw value.
     *
     * @throws ConfigException naming the key, the value and what is allowed
     */
    public T parse(Object raw) {
        try {
            return parser.parse(raw);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new ConfigException(String.format(
                    "Invalid value '%s' for key '%s': allowed: %s%s", raw, key, allowed,
                    e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    @Override
    public String toString() {
        return key;
    }

    // ---- factories, one per value type ----

    static Option<String> string(String key, String defaultValue, String allowed, String description) {
        return new Option<>(key, defaultValue, allowed, description, raw -> {
            String s = scalar(raw).trim();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return s;
        });
    }

    static Option<String> choice(String key, String defaultValue, String description, String... choices) {
        List<String> allowedList = Arrays.asList(choices);
        return new Option<>(key, defaultValue, String.join(", ", choices), description, raw -> {
            String s = scalar(raw).trim().toLowerCase(Locale.ROOT);
            if (!allowedList.contains(s)) {
                throw new IllegalArgumentException();
            }
            return s;
        });
    }

    static Option<Integer> integer(String key, Integer defaultValue, int min, int max, String description) {
        String allowed = max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max;
        return new Option<>(key, defaultValue, allowed, description, raw -> {
            int v = Integer.parseInt(scalar(raw).trim().replace("_", ""));
            if (v < min || v > max) {
                throw new IllegalArgumentException();
            }
            return v;
        });
    }

    static Option<Double> positive(String key, Double defaultValue, String description) {
        return new Option<>(key, defaultValue, "a finite number > 0", description, raw -> {
            double v = Double.parseDouble(scalar(raw).trim());
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException();
            }
            return v;
        });
    }

    static Option<Boolean> flag(String key, boolean defaultValue, String description) {
        return new Option<>(key, defaultValue, "true, false", description, raw -> {
            String s = scalar(raw).trim().toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw new IllegalArgumentException();
            }
            return Boolean.parseBoolean(s);
        });
    }

    static Option<Duration> duration(String key, Duration defaultValue, String description) {
        return new Option<>(key, defaultValue, "a positive duration such as 500ms, 10s, 2min", description, raw -> {
            Duration d = TimeUtils.parseDuration(scalar(raw).trim());
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException();
            }
            return d;
        });
    }

    /** A list: a YAML sequence, or a comma-separated string from {@code --set}. */
    @SuppressWarnings("unchecked")
    static Option<java.util.ArrayList<String>> list(String key, String description) {
        return new Option<>(key, null, "a YAML list, or comma-separated values", description, raw -> {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            if (raw instanceof List<?> items) {
                for (Object item : items) {
                    out.add(scalar(item));
                }
            } else {
                for (String s : scalar(raw).split(",")) {
                    out.add(s.trim());
                }
            }
            return out;
        });
    }

    private static String scalar(Object raw) {
        Objects.requireNonNull(raw);
        if (raw instanceof List<?> || raw instanceof java.util.Map<?, ?>) {
            throw new IllegalArgumentException("expected a single value, got " + raw.getClass().getSimpleName());
        }
        return String.valueOf(raw);
    }
}
