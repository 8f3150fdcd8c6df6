package io.github.flinksoftmax.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.flink.configuration.MemorySize;

/**
 * What one option accepts, beside its Flink {@code ConfigOption}: the type and the allowed values
 * in words, as the docs table and every error message show them, and the test a parsed value must
 * pass. Flink's {@code ConfigOption} parses but has no validator (and hides its type), so this
 * fills that gap the way Kafka's {@code ConfigDef} validators do; {@link SoftmaxOptions} pairs
 * each option with one.
 *
 * @param type the value type as users read it, such as {@code Integer} or {@code Duration}
 * @param text the allowed values, such as {@code "an integer from 0 to 1000"}
 * @param test whether a parsed value is allowed
 * @param <T> the option's value type
 */
record Allowed<T>(String type, String text, Predicate<? super T> test) {

    static Allowed<String> text(String text) {
        return new Allowed<>("String", text, s -> !s.isEmpty());
    }

    static Allowed<Integer> range(int min, int max) {
        return new Allowed<>("Integer", max == Integer.MAX_VALUE ? "an integer >= " + min
                : "an integer from " + min + " to " + max, v -> v >= min && v <= max);
    }

    static Allowed<Double> positive() {
        return new Allowed<>("Double", "a finite number > 0", v -> v > 0 && !v.isInfinite());
    }

    static Allowed<Boolean> bool() {
        return new Allowed<>("Boolean", "true, false", v -> true);
    }

    static Allowed<Duration> positiveDuration() {
        return new Allowed<>("Duration", "a positive duration such as 500ms, 10s, 2min",
                d -> !d.isZero() && !d.isNegative());
    }

    /** Sizes in bytes: a plain byte count such as {@code 1048576}, or with a unit such as {@code 1mb}. */
    static Allowed<MemorySize> bytes(MemorySize min, MemorySize max) {
        return new Allowed<>("MemorySize", "a size from " + min.getBytes() + " to " + max.getBytes()
                + " bytes, such as 1048576 or 1mb", v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0);
    }

    /** The enum's values as they render ({@code toString}), which is also how Flink parses them. */
    static <E extends Enum<E>> Allowed<E> oneOf(Class<E> choices) {
        return new Allowed<>("Enum", Arrays.stream(choices.getEnumConstants()).map(Object::toString)
                .collect(Collectors.joining(", ")), v -> true);
    }

    static Allowed<List<String>> list() {
        return new Allowed<>("List of String", "a YAML list, or comma-separated values", v -> true);
    }

    /** One number from 0 to 1, or a list of them; YAML's single number arrives as a one-element list. */
    static Allowed<List<Double>> probabilities() {
        return new Allowed<>("List of Double", "a number from 0 to 1, or a list of them (one per class)",
                v -> !v.isEmpty() && v.stream().allMatch(d -> d >= 0 && d <= 1));
    }

    boolean isList() {
        return type.startsWith("List ");
    }

    boolean isNumberList() {
        return type.equals("List of Double");
    }

    boolean isInteger() {
        return type.equals("Integer");
    }
}
