package io.github.flinksoftmax.local;

import io.github.flinksoftmax.format.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The sample records of the local run, as an image classifier with {@link #CLASSES} outputs would
 * send them in the {@code json} format: record {@code n} is a pure function of {@code n}, so two
 * runs send the same stream. Each row has one dominant class, a few runner-ups next to it (in
 * ImageNet's order, neighbours are alike: cat breeds, dog breeds) and small noise elsewhere. Most
 * records are objects {@code {"id", "logits"}}; some are batches, some bare arrays, some mask
 * classes with {@code -Infinity}, and a few are bad on purpose (malformed JSON, NaN, an empty or
 * entirely masked vector) so the dead-letter topic has something to show.
 */
final class SampleLogits {

    static final int CLASSES = 1000;
    private static final long SEED = 0x5EED_50F7L;

    /** What a sample record is meant to exercise, so tests can count on the mix. */
    enum Kind { OBJECT, BATCH, BARE_ARRAY, BARE_BATCH, MASKED, MALFORMED, NAN, EMPTY, ALL_MASKED }

    /** One sample record: key and id are the same string. */
    record Sample(String id, Kind kind, byte[] value) {
        byte[] key() {
            return id.getBytes(StandardCharsets.UTF_8);
        }

        boolean bad() {
            return reason(kind) != null;
        }
    }

    private SampleLogits() {}

    static Kind kind(long n) {
        // bad records first, at fixed offsets, so a few hundred records already show every kind
        if (n % 50 == 13) {
            return Kind.MALFORMED;
        }
        if (n % 50 == 37) {
            return Kind.NAN;
        }
        if (n % 100 == 71) {
            return Kind.EMPTY;
        }
        if (n % 200 == 111) {
            return Kind.ALL_MASKED;
        }
        return switch ((int) (n % 10)) {
            case 3 -> Kind.BATCH;
            case 5 -> Kind.MASKED;
            case 6 -> Kind.BARE_ARRAY;
            case 9 -> Kind.BARE_BATCH;
            default -> Kind.OBJECT;
        };
    }

    static Sample sample(long n) {
        return sample(n, CLASSES);
    }

    /** Record {@code n} with rows of {@code classes} logits: a job whose labels name K classes gets K. */
    static Sample sample(long n, int classes) {
        SplittableRandom random = random(n);
        String id = String.format(Locale.ROOT, "img-%06d", n);
        Kind kind = kind(n);
        StringBuilder json = new StringBuilder(8 * classes);
        switch (kind) {
            case OBJECT -> object(json, id, () -> row(json, random, classes, false));
            case MASKED -> object(json, id, () -> row(json, random, classes, true));
            case BATCH -> object(json, id, () -> batch(json, random, classes, 2 + random.nextInt(3)));
            case BARE_ARRAY -> row(json, random, classes, false);
            case BARE_BATCH -> batch(json, random, classes, 2);
            case MALFORMED -> {
                object(json, id, () -> row(json, random, classes, false));
                // cut off mid-number, as a crashed writer would leave it
                json.setLength(json.length() / 2);
            }
            case NAN -> object(json, id, () -> {
                row(json, random, classes, false);
                int at = json.indexOf(",", json.length() / 2);
                json.replace(at, at + 1, ", NaN,");
            });
            case EMPTY -> object(json, id, () -> json.append("[]"));
            case ALL_MASKED -> object(json, id, () -> {
                json.append('[');
                for (int i = 0; i < classes; i++) {
                    json.append(i == 0 ? "" : ", ").append("-Infinity");
                }
                json.append(']');
            });
        }
        return new Sample(id, kind, json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The random source of record {@code n}: the same {@code n} gives the same numbers, in every
     * format. Split, because seeds a golden gamma apart are one stream shifted by one draw:
     * record n + 1 would repeat record n's classes one step later.
     */
    static SplittableRandom random(long n) {
        return new SplittableRandom(SEED + n * 0x9E3779B97F4A7C15L).split();
    }

    /** Why the job dead-letters a sample of this kind, or {@code null} for a good one. */
    static Reason reason(Kind kind) {
        return switch (kind) {
            case MALFORMED -> Reason.MALFORMED_JSON;
            case NAN -> Reason.NON_FINITE_INPUT;
            case EMPTY -> Reason.EMPTY_VECTOR;
            case ALL_MASKED -> Reason.ALL_MASKED;
            default -> null;
        };
    }

    private static void object(StringBuilder json, String id, Runnable logits) {
        json.append("{\"id\": \"").append(id).append("\", \"logits\": ");
        logits.run();
        json.append('}');
    }

    private static void batch(StringBuilder json, SplittableRandom random, int classes, int rows) {
        json.append('[');
        for (int r = 0; r < rows; r++) {
            json.append(r == 0 ? "" : ", ");
            row(json, random, classes, false);
        }
        json.append(']');
    }

    /** One classifier output row of {@code classes} logits, as JSON numbers with three decimals. */
    private static void row(StringBuilder json, SplittableRandom random, int classes, boolean masked) {
        float[] z = logits(random, classes, masked);
        json.append('[');
        for (int i = 0; i < z.length; i++) {
            if (i > 0) {
                json.append(", ");
            }
            if (z[i] == Float.NEGATIVE_INFINITY) {
                json.append("-Infinity");
            } else {
                appendThreeDecimals(json, z[i]);
            }
        }
        json.append(']');
    }

    /**
     * One classifier output row of {@code classes} logits, the samples of every format share: one
     * dominant class, its neighbours close behind, noise elsewhere. Masked rows hide a random block
     * of a tenth of the classes with {@code -Infinity} (as a deployment that may not answer with
     * some classes would); the dominant class stays unmasked.
     */
    static float[] logits(SplittableRandom random, int classes, boolean masked) {
        int top = random.nextInt(classes);
        float confidence = 6 + 6 * (float) random.nextDouble();
        int block = masked ? classes / 10 : 0;
        int maskFrom = masked ? random.nextInt(classes - block) : -1;
        if (masked && maskFrom <= top && top < maskFrom + block) {
            maskFrom = top < classes / 2 ? top + 1 : top - block;
        }
        float[] z = new float[classes];
        for (int i = 0; i < classes; i++) {
            if (maskFrom >= 0 && i >= maskFrom && i < maskFrom + block) {
                z[i] = Float.NEGATIVE_INFINITY;
                continue;
            }
            z[i] = (float) (random.nextGaussian() * 1.2);
            int distance = Math.abs(i - top);
            if (distance == 0) {
                z[i] += confidence;
            } else if (distance <= 3) {
                z[i] += confidence * (0.35f + 0.35f * (float) random.nextDouble()) / distance;
            }
        }
        return z;
    }

    /**
     * Three decimals: more would only bloat the JSON. Written by hand because
     * {@code String.format} for 1000 numbers a record costs more CPU than the job's softmax.
     */
    static void appendThreeDecimals(StringBuilder json, float z) {
        long thousandths = Math.round(z * 1000.0);
        if (thousandths < 0) {
            json.append('-');
            thousandths = -thousandths;
        }
        long fraction = thousandths % 1000;
        json.append(thousandths / 1000).append('.');
        if (fraction < 100) {
            json.append(fraction < 10 ? "00" : "0");
        }
        json.append(fraction);
    }
}
