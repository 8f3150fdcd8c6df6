package io.github.flinksoftmax.local;

import io.github.flinksoftmax.format.Reason;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The sample records of a job that scores with a linear model ({@code model.file}), as JSON
 * feature vectors {@code {"id", "features": [..]}} (so the job reads them at
 * {@code json.logits-pointer: /features}). The rows come from {@code samples.csv} next to the
 * model file when there is one (its first D numeric cells per line: for the Iris model, Fisher's
 * flowers), else from a standard normal. Record {@code n} is a pure function of {@code n}; a few
 * are bad on purpose: malformed JSON, a NaN feature, a row one feature short, an empty one.
 */
final class SampleFeatures {

    /** What a sample record is meant to exercise. */
    enum Kind { OBJECT, BATCH, BARE_ARRAY, MALFORMED, NAN, SHORT, EMPTY }

    private final int features;
    private final List<float[]> rows;

    SampleFeatures(int features, List<float[]> rows) {
        this.features = features;
        this.rows = rows;
    }

    /** Samples for a model of {@code features} features stored in {@code modelFile}. */
    static SampleFeatures forModel(Path modelFile, int features) {
        Path csv = modelFile.toAbsolutePath().resolveSibling("samples.csv");
        List<float[]> rows = new ArrayList<>();
        if (Files.isRegularFile(csv)) {
            try {
                for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
                    float[] row = numbers(line, features);
                    if (row != null) {
                        rows.add(row);
                    }
                }
            } catch (IOException e) {
                rows.clear(); // a sample file is a nicety: without it the samples are random
            }
        }
        return new SampleFeatures(features, rows);
    }

    int features() {
        return features;
    }

    boolean fromFile() {
        return !rows.isEmpty();
    }

    static Kind kind(long n) {
        if (n % 50 == 13) {
            return Kind.MALFORMED;
        }
        if (n % 50 == 37) {
            return Kind.NAN;
        }
        if (n % 100 == 71) {
            return Kind.SHORT;
        }
        if (n % 100 == 97) {
            return Kind.EMPTY;
        }
        return switch ((int) (n % 10)) {
            case 3 -> Kind.BATCH;
            case 6 -> Kind.BARE_ARRAY;
            default -> Kind.OBJECT;
        };
    }

    static Reason reason(Kind kind) {
        return switch (kind) {
            case MALFORMED -> Reason.MALFORMED_JSON;
            case NAN -> Reason.NON_FINITE_INPUT;
            case SHORT -> Reason.SHAPE_MISMATCH;
            case EMPTY -> Reason.EMPTY_VECTOR;
            default -> null;
        };
    }

    SampleRecord sample(long n) {
        SplittableRandom random = SampleLogits.random(n);
        String id = String.format(Locale.ROOT, "row-%06d", n);
        Kind kind = kind(n);
        StringBuilder json = new StringBuilder();
        switch (kind) {
            case OBJECT -> object(json, id, () -> row(json, next(random), features));
            case BATCH -> object(json, id, () -> {
                json.append('[');
                row(json, next(random), features);
                json.append(", ");
                row(json, next(random), features);
                json.append(']');
            });
            case BARE_ARRAY -> row(json, next(random), features);
            case MALFORMED -> {
                object(json, id, () -> row(json, next(random), features));
                json.setLength(json.length() / 2); // cut off mid-record, as a crashed writer would leave it
            }
            case NAN -> object(json, id, () -> {
                float[] x = next(random);
                x[random.nextInt(features)] = Float.NaN;
                row(json, x, features);
            });
            case SHORT -> object(json, id, () -> row(json, next(random), features - 1));
            case EMPTY -> object(json, id, () -> json.append("[]"));
        }
        return new SampleRecord(id, kind.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                json.toString().getBytes(StandardCharsets.UTF_8), java.util.Map.of(), reason(kind));
    }

    String describe() {
        return features + "-feature vectors as JSON {\"id\", \"features\"}" + (fromFile() ? " from samples.csv" : "")
                + ", single and batched, ~8% bad records";
    }

    private float[] next(SplittableRandom random) {
        if (!rows.isEmpty()) {
            return rows.get(random.nextInt(rows.size())).clone();
        }
        float[] x = new float[features];
        for (int i = 0; i < features; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private static void object(StringBuilder json, String id, Runnable features) {
        json.append("{\"id\": \"").append(id).append("\", \"features\": ");
        features.run();
        json.append('}');
    }

    private static void row(StringBuilder json, float[] x, int length) {
        json.append('[');
        for (int i = 0; i < length; i++) {
            json.append(i == 0 ? "" : ", ");
            if (Float.isNaN(x[i])) {
                json.append("NaN");
            } else {
                SampleLogits.appendThreeDecimals(json, x[i]);
            }
        }
        json.append(']');
    }

    /** The first {@code d} numeric cells of a CSV line, or {@code null} (a header, or too few numbers). */
    private static float[] numbers(String line, int d) {
        float[] row = new float[d];
        int found = 0;
        for (String cell : line.split(",")) {
            if (found == d) {
                break;
            }
            try {
                row[found] = Float.parseFloat(cell.strip());
                found++;
            } catch (NumberFormatException e) {
                // a label or header cell: not a feature
            }
        }
        return found == d ? row : null;
    }
}
