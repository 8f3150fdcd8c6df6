package io.github.flinksoftmax.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Loads a model from files, by the extension of the main file: {@code .json} (see
 * {@link JsonModelReader}), {@code .csv} (see {@link CsvModelReader}) or {@code .npy}, which holds
 * scikit-learn's {@code coef_} ({@code [K, D]}, or {@code [D]} for one class) while the intercept
 * ({@code intercept_}, {@code [K]}) comes in a second {@code .npy} file. The version is, in order:
 * the one given ({@code model.version}), the JSON's {@code version}, or the file name with the start
 * of the content's SHA-256, so a changed file never passes for the old one.
 */
public final class ModelFiles {

    private ModelFiles() {}

    /**
     * @param interceptFile the intercept for a {@code .npy} model; must be {@code null} for the others
     * @param version the version to use, or {@code null} for the file's own or one from its content
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    public static Model load(Path file, Path interceptFile, String version) throws ModelFormatException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        byte[] bytes = readAll(file);
        if (!ext.equals("npy") && interceptFile != null) {
            throw new ModelFormatException(file + ": a separate intercept file goes only with a .npy model; a ." + ext
                    + " model holds its intercept");
        }
        Model model = switch (ext) {
            case "json" -> JsonModelReader.read(bytes, file.toString(), Models.contentVersion(name, bytes));
            case "csv" -> CsvModelReader.read(bytes, file.toString(), Models.contentVersion(name, bytes));
            case "npy" -> npy(file, bytes, interceptFile, name);
            default -> throw new ModelFormatException(file + ": unknown model file type '." + ext
                    + "'; expected .json, .csv or .npy");
        };
        return version == null ? model : model.withVersion(version);
    }

    private static Model npy(Path file, byte[] bytes, Path interceptFile, String name) throws ModelFormatException {
        if (interceptFile == null) {
            throw new ModelFormatException(file + ": a .npy model holds coef_ only; its intercept_ ([K]) must come in a "
                    + "second .npy file (np.zeros(K) for a model fitted without one)");
        }
        Npy.Array coef = Npy.read(bytes, file.toString());
        byte[] interceptBytes = readAll(interceptFile);
        Npy.Array intercept = Npy.read(interceptBytes, interceptFile.toString());
        int[] cs = coef.shape();
        if (cs.length != 2 && cs.length != 1) {
            throw new ModelFormatException(file + ": coef has shape " + Arrays.toString(cs) + "; expected [K, D]");
        }
        int k = cs.length == 2 ? cs[0] : 1;
        int d = cs[cs.length - 1];
        if (intercept.shape().length != 1 || intercept.shape()[0] != k) {
            throw new ModelFormatException(interceptFile + ": intercept has shape "
                    + Arrays.toString(intercept.shape()) + "; coef in " + file + " has " + k + " rows, so expected ["
                    + k + "]");
        }
        return Models.build(coef.values(), intercept.values(), k, d, List.of(),
                Models.contentVersion(name, bytes, interceptBytes), file.toString());
    }

    private static byte[] readAll(Path file) throws ModelFormatException {
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw new ModelFormatException(file + ": " + size + " bytes is too large for a model this job holds");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot be read (" + e + ")", e);
        }
    }
}
