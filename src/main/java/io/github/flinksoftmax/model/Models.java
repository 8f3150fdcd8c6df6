package io.github.flinksoftmax.model;

import io.github.flinksoftmax.kernel.LinearModel;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** What every model reader does last: checks, the binary case, and a default version. */
final class Models {

    private Models() {}

    /**
     * The model from parsed arrays. A binary model as scikit-learn stores it (one row of weights,
     * two classes) becomes two rows, {@code [0, w]} and {@code [0, b]}: softmax over {@code [0, z]}
     * is exactly {@code [1 - sigmoid(z), sigmoid(z)]}, scikit-learn's {@code predict_proba}.
     */
    static Model build(float[] w, float[] b, int k, int d, List<String> classes, String version, String source)
            throws ModelFormatException {
        if (k == 1 && classes.size() == 2) {
            float[] w2 = new float[2 * d];
            System.arraycopy(w, 0, w2, d, d);
            w = w2;
            b = new float[] {0f, b.length == 1 ? b[0] : Float.NaN};
            k = 2;
        }
        try {
            return new Model(new LinearModel(w, b, k, d), classes, version);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /** A version that changes whenever the content does: the file's name and the start of its SHA-256. */
    static String contentVersion(String name, byte[]... contents) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] c : contents) {
                sha.update(c);
            }
            return name + "@" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
