package io.github.flinksoftmax.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A structure-aware fuzzer for the three wire formats: it starts from valid records of each format
 * and mutates them the way broken or hostile producers do (truncation, splices of other records,
 * flipped bytes, duplicated or removed spans, numbers made huge, tiny, NaN or 1,200 digits long,
 * nesting thousands deep, wrong types, shapes that lie, headers that lie). Deterministic for a
 * given seed, so a failure names the seed that reproduces it. Shared by the decoder properties
 * and the job-level fuzz test.
 */
public final class Mutations {

    /** The wire format a generated case is meant for, with the settings it is decoded with. */
    public enum Target { JSON, OIP_V2, FLOAT32LE, FLOAT32LE_CLASSES }

    /** One generated input: the format it targets, the value, and a {@code shape} header or null. */
    public record Case(Target target, byte[] value, String shapeHeader, String mutation) {}

    private static final List<String> JSON_SEEDS = List.of(
            "[1.5, -2, 3e2, 0.25]",
            "[[1, 2, 3], [4, 5, 6]]",
            "{\"id\": 7, \"logits\": [0.1, -Infinity, 2.5], \"meta\": {\"a\": [1, {\"b\": null}], \"s\": \"x\"}}",
            "{\"logits\": [[1e-3, 2], [3, 4]], \"tags\": [\"a\", \"b\"], \"n\": 1.50}",
            "[-3.4028235E38, 3.4028235E38, 1.4E-45]");

    private static final List<String> OIP_SEEDS = List.of(
            "{\"model_name\": \"m\", \"model_version\": \"1\", \"id\": \"r\", \"outputs\": [{\"name\": \"logits\","
                    + " \"datatype\": \"FP32\", \"shape\": [2, 3], \"data\": [1, 2, 3, 4, 5, 6]}]}",
            "{\"model_name\": \"m\", \"parameters\": {\"p\": [1, 2]}, \"outputs\": [{\"name\": \"other\", \"datatype\":"
                    + " \"INT64\", \"shape\": [1], \"data\": [9]}, {\"name\": \"logits\", \"datatype\": \"FP64\","
                    + " \"shape\": [1, 2, 2], \"data\": [[[0.5, 1.5], [2.5, -1]]]}]}",
            "{\"outputs\": [{\"datatype\": \"BF16\", \"data\": [3, 1, 2], \"shape\": [3], \"name\": \"logits\"}],"
                    + " \"model_name\": \"m\"}");

    private static final String[] NUMBERS = {"1e39", "-1e39", "1e-50", "-0.0", "NaN", "Infinity", "-Infinity",
        "3.4028236E38", "1e999999999", "9".repeat(1200), "0." + "0".repeat(1100) + "1", "0x10", "01", "1.", "-",
        "+1", ".5", "1e", "9223372036854775808", "-9223372036854775809", "2147483648", "-1", "0"};

    private static final String[] VALUES = {"\"s\"", "null", "true", "{}", "[]", "[[]]", "[[1], 2]", "{\"a\": 1}",
        "\"\\ud800\"", "\"\u00e9\"", "[\"logits\"]"};

    private static final String[] SHAPE_HEADERS = {"2147483647", "2147483648", "0", "-1", "[", "[]", "4,", ",4",
        "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,4", "99999999999", "65536,65536",
        "1,0", " 4 ", "[2, 2]", "4", "\u0000", "2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2"};

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|-?Infinity|NaN");
    private static final Pattern FIELD = Pattern.compile("\"[a-z_]+\"\\s*:");

    private final SplittableRandom random;

    public Mutations(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next case, for a target chosen at random. */
    public Case next() {
        Target[] targets = Target.values();
        return next(targets[random.nextInt(targets.length)]);
    }

    public Case next(Target target) {
        return switch (target) {
            case JSON -> json(JSON_SEEDS, Target.JSON);
            case OIP_V2 -> json(OIP_SEEDS, Target.OIP_V2);
            case FLOAT32LE, FLOAT32LE_CLASSES -> float32(target);
        };
    }

    /** The settings a target's cases are decoded with. */
    public static FormatSettings settings(Target target) {
        return switch (target) {
            case JSON, FLOAT32LE -> FormatSettings.DEFAULTS;
            case OIP_V2 -> FormatSettings.DEFAULTS.withOipInputTensor("logits");
            case FLOAT32LE_CLASSES -> FormatSettings.DEFAULTS.withFloat32leClasses(3);
        };
    }

    /** The job's {@code format} option value for a target. */
    public static String formatName(Target target) {
        return switch (target) {
            case JSON -> "json";
            case OIP_V2 -> "oip-v2";
            case FLOAT32LE, FLOAT32LE_CLASSES -> "float32le";
        };
    }

    private Case json(List<String> seeds, Target target) {
        String text = seeds.get(random.nextInt(seeds.size()));
        int rounds = 1 + random.nextInt(3);
        StringBuilder applied = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            int op = random.nextInt(10);
            applied.append(i == 0 ? "" : "+").append(op);
            text = switch (op) {
                case 0 -> text.substring(0, random.nextInt(text.length() + 1));
                case 1 -> splice(text, seeds.get(random.nextInt(seeds.size())));
                case 2 -> new String(flip(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.ISO_8859_1);
                case 3 -> duplicateSpan(text);
                case 4 -> removeSpan(text);
                case 5, 6 -> replaceMatch(text, NUMBER, pick(NUMBERS));
                case 7 -> nest(text);
                case 8 -> replaceMatch(text, NUMBER, pick(VALUES));
                default -> target == Target.OIP_V2 ? lieAboutShape(text) : duplicateField(text);
            };
        }
        // op 2 may leave bytes that are not UTF-8: that is the point, so keep them as bytes
        byte[] value = applied.indexOf("2") >= 0 ? text.getBytes(StandardCharsets.ISO_8859_1)
                : text.getBytes(StandardCharsets.UTF_8);
        return new Case(target, value, null, "json ops " + applied);
    }

    private Case float32(Target target) {
        int n = random.nextInt(13);
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            // mostly ordinary logits, sometimes any bit pattern: NaN payloads, infinities, subnormals
            b.putFloat(random.nextInt(4) == 0 ? Float.intBitsToFloat(random.nextInt())
                    : (float) (random.nextDouble() * 20 - 10));
        }
        byte[] value = b.array();
        String op;
        switch (random.nextInt(4)) {
            case 0 -> {
                op = "length";
                value = java.util.Arrays.copyOf(value, Math.max(0, value.length + random.nextInt(7) - 3));
            }
            case 1 -> {
                op = "flip";
                value = flip(value);
            }
            default -> op = "none";
        }
        String header = switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> Integer.toString(value.length / 4);
            default -> pick(SHAPE_HEADERS);
        };
        return new Case(target, value, header, "float32 " + op + " header " + header);
    }

    private String splice(String text, String other) {
        int at = random.nextInt(text.length() + 1);
        int from = random.nextInt(other.length() + 1);
        int to = from + random.nextInt(other.length() - from + 1);
        return text.substring(0, at) + other.substring(from, to) + text.substring(at);
    }

    private byte[] flip(byte[] bytes) {
        byte[] out = bytes.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && out.length > 0; i++) {
            int at = random.nextInt(out.length);
            out[at] = random.nextBoolean() ? (byte) (out[at] ^ (1 << random.nextInt(8))) : (byte) random.nextInt(256);
        }
        return out;
    }

    private String duplicateSpan(String text) {
        int from = random.nextInt(text.length() + 1);
        int to = from + random.nextInt(Math.min(40, text.length() - from) + 1);
        String span = text.substring(from, to);
        return text.substring(0, to) + span.repeat(1 + random.nextInt(3)) + text.substring(to);
    }

    private String removeSpan(String text) {
        int from = random.nextInt(text.length() + 1);
        int to = from + random.nextInt(Math.min(20, text.length() - from) + 1);
        return text.substring(0, from) + text.substring(to);
    }

    /** Replaces one random match of {@code pattern} with {@code replacement}. */
    private String replaceMatch(String text, Pattern pattern, String replacement) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return text;
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        return text.substring(0, s[0]) + replacement + text.substring(s[1]);
    }

    /** Wraps a random point in arrays or objects nested up to 3,000 deep, past Jackson's limit of 1,000. */
    private String nest(String text) {
        int depth = random.nextBoolean() ? 1 + random.nextInt(50) : 900 + random.nextInt(2100);
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        String inner = random.nextBoolean() ? "1" : "[1, 2]";
        String deep = open.repeat(depth) + inner + close.repeat(depth);
        if (random.nextInt(3) == 0) {
            return deep;
        }
        return replaceMatch(text, NUMBER, deep);
    }

    private String lieAboutShape(String text) {
        String[] lies = {"[2147483648]", "[-1, 3]", "[99999999999999999999999]", "[0, 3]", "[]", "[6]", "[1, 6]",
            "[3, 2]", "[2147483647, 2147483647]", "[1.5]", "\"6\"", "[" + "1, ".repeat(40) + "6]"};
        return text.replaceFirst("\"shape\": \\[[^\\]]*\\]", "\"shape\": " + java.util.regex.Matcher.quoteReplacement(pick(lies)));
    }

    private String duplicateField(String text) {
        Matcher m = FIELD.matcher(text);
        if (!m.find()) {
            return text;
        }
        return text.substring(0, m.start()) + "\"logits\": [1, 2], " + text.substring(m.start());
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
