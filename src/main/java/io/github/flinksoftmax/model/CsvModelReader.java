package io.github.flinksoftmax.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a model from CSV: one line per class, {@code intercept,w_0,...,w_{D-1}}, optionally led by
 * the class name in a first column. An optional header line (its first cell not a number) names
 * the columns; when that first cell is {@code class} or {@code label}, every line starts with the
 * class name. Commas separate, blank lines are skipped, no quoting (class names hold no commas).
 * Stateless and thread-safe.
 */
final class CsvModelReader {

    private CsvModelReader() {}

    static Model read(byte[] bytes, String source, String version) throws ModelFormatException {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        boolean labelled = false;
        if (first < lines.length && !isNumber(lines[first].split(",", -1)[0].strip())) {
            String cell = lines[first].split(",", -1)[0].strip().toLowerCase(java.util.Locale.ROOT);
            labelled = cell.equals("class") || cell.equals("label");
            first++; // the header
        }
        List<float[]> rows = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        int width = -1;
        for (int n = first; n < lines.length; n++) {
            if (lines[n].isBlank()) {
                continue;
            }
            String[] cells = lines[n].split(",", -1);
            int skip = labelled ? 1 : 0;
            if (labelled) {
                classes.add(cells[0].strip());
            }
            if (width < 0) {
                width = cells.length - skip;
                if (width < 2) {
                    throw new ModelFormatException(source + ": line " + (n + 1) + " has " + width + " numbers; expected "
                            + "the intercept then at least one weight");
                }
            } else if (cells.length - skip != width) {
                throw new ModelFormatException(source + ": line " + (n + 1) + " has " + (cells.length - skip)
                        + " numbers, the first class line has " + width + "; every line is intercept then D weights");
            }
            float[] row = new float[width];
            for (int i = 0; i < width; i++) {
                String cell = cells[i + skip].strip();
                String where = "line " + (n + 1) + ", " + (i == 0 ? "intercept" : "weight " + (i - 1));
                try {
                    row[i] = parse(cell);
                } catch (NumberFormatException e) {
                    throw new ModelFormatException(source + ": " + where + " is '" + cell + "'; expected a number");
                }
                if (!Float.isFinite(row[i])) {
                    throw new ModelFormatException(source + ": " + where + " is " + row[i]
                            + "; every weight must be finite");
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new ModelFormatException(source + ": no class lines; expected one line per class, intercept then "
                    + "D weights");
        }
        int k = rows.size();
        int d = width - 1;
        float[] w = new float[k * d];
        float[] b = new float[k];
        for (int j = 0; j < k; j++) {
            b[j] = rows.get(j)[0];
            System.arraycopy(rows.get(j), 1, w, j * d, d);
        }
        return Models.build(w, b, k, d, classes, version, source);
    }

    /** A float as Java or {@code numpy.savetxt} writes it ({@code nan}, {@code inf}, {@code -inf}). */
    private static float parse(String cell) {
        String c = cell.toLowerCase(java.util.Locale.ROOT);
        return switch (c) {
            case "nan" -> Float.NaN;
            case "inf", "+inf" -> Float.POSITIVE_INFINITY;
            case "-inf" -> Float.NEGATIVE_INFINITY;
            default -> Float.parseFloat(cell);
        };
    }

    private static boolean isNumber(String cell) {
        try {
            parse(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
