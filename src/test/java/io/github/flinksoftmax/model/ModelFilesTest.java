package io.github.flinksoftmax.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every model file type, read right and refused with the file and the problem named. */
class ModelFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertIris(Model m) {
        assertThat(m.weights().classes()).isEqualTo(2);
        assertThat(m.weights().features()).isEqualTo(3);
        assertThat(m.weights().weight(1, 2)).isEqualTo(6f);
        assertThat(m.weights().weight(0, 0)).isEqualTo(1f);
        assertThat(m.weights().bias(0)).isEqualTo(-0.5f);
        assertThat(m.weights().bias(1)).isEqualTo(0.25f);
    }

    // ---- .npy

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void npyVersionsAndBothFloatTypesRead(int major) throws Exception {
        Path coef = write("coef.npy", NpyFiles.npy(major, "<f8", false, new int[] {2, 3}, 1, 2, 3, 4, 5, 6));
        Path intercept = write("intercept.npy", NpyFiles.npy(major, "<f4", false, new int[] {2}, -0.5f, 0.25f));
        Model m = ModelFiles.load(coef, intercept, null);
        assertIris(m);
        assertThat(m.classes()).isEmpty();
        assertThat(m.version()).startsWith("coef.npy@").hasSize("coef.npy@".length() + 12);
    }

    @Test
    void npyNeedsItsInterceptFileOfTheRightShape() throws Exception {
        Path coef = write("coef.npy", NpyFiles.f4(new int[] {2, 3}, 1, 2, 3, 4, 5, 6));
        assertThatThrownBy(() -> ModelFiles.load(coef, null, null))
                .hasMessageContaining("coef.npy").hasMessageContaining("intercept_ ([K]) must come in a second .npy");
        Path three = write("b.npy", NpyFiles.f4(new int[] {3}, 1, 2, 3));
        assertThatThrownBy(() -> ModelFiles.load(coef, three, null))
                .hasMessageContaining("b.npy: intercept has shape [3]").hasMessageContaining("expected [2]");
    }

    @Test
    void hostileNpyFilesAreRefusedWithTheReason() throws Exception {
        Path b = write("b.npy", NpyFiles.f4(new int[] {2}, 0, 0));
        byte[] good = NpyFiles.f4(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertNpyFails(Arrays.copyOf(good, good.length - 1), b, "truncated", "needs 24 data bytes, the file has 23");
        assertNpyFails(Arrays.copyOf(good, good.length + 4), b, "trailing bytes");
        assertNpyFails(Arrays.copyOf(good, 40), b, "truncated .npy header");
        assertNpyFails(Arrays.copyOf(good, 5), b, "not a .npy file");
        assertNpyFails("coef,intercept\n".getBytes(StandardCharsets.UTF_8), b, "not a .npy file");
        assertNpyFails(NpyFiles.npy(1, ">f4", false, new int[] {2, 3}, 1, 2, 3, 4, 5, 6), b,
                "dtype '>f4' is not supported");
        assertNpyFails(NpyFiles.npy(1, "<i4", false, new int[] {2, 3}, 1, 2, 3, 4, 5, 6), b,
                "dtype '<i4' is not supported");
        assertNpyFails(NpyFiles.npy(1, "<f4", true, new int[] {2, 3}, 1, 2, 3, 4, 5, 6), b, "fortran_order is True");
        assertNpyFails(NpyFiles.npy(1, "<f4", false, new int[] {2, 3, 1}, 1, 2, 3, 4, 5, 6), b,
                "coef has shape [2, 3, 1]; expected [K, D]");
        assertNpyFails(NpyFiles.f4(new int[] {2, 3}, 1, 2, Float.NaN, 4, 5, 6), b, "weight [0, 2] is NaN");
        assertNpyFails(NpyFiles.f4(new int[] {2, 3}, 1, 2, 3, 4, Float.POSITIVE_INFINITY, 6), b,
                "weight [1, 1] is Infinity");
        byte[] future = good.clone();
        future[6] = 4;
        assertNpyFails(future, b, "version 4.0 is not supported");
        byte[] hugeHeader = NpyFiles.npy(2, "<f4", false, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        hugeHeader[11] = 0x7f; // a header length of about 2 GB
        assertNpyFails(hugeHeader, b, "truncated .npy header");
        byte[] negativeShape = new String(good, StandardCharsets.ISO_8859_1).replace("(2, 3)", "(2,-3)")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertNpyFails(negativeShape, b, "not a tuple of non-negative integers");
    }

    private void assertNpyFails(byte[] coef, Path intercept, String... messageParts) throws IOException {
        Path file = write("coef.npy", coef);
        assertThatThrownBy(() -> ModelFiles.load(file, intercept, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContainingAll(messageParts);
    }

    // ---- JSON

    @Test
    void jsonAsScikitLearnUsersWriteIt() throws Exception {
        Path f = write("m.json", "{\"coef\": [[1, 2, 3], [4, 5, 6]], \"intercept\": [-0.5, 0.25],"
                + " \"classes\": [\"setosa\", 7], \"version\": \"2026-12-01\"}");
        Model m = ModelFiles.load(f, null, null);
        assertIris(m);
        assertThat(m.classes()).containsExactly("setosa", "7");
        assertThat(m.version()).isEqualTo("2026-12-01");
        assertThat(ModelFiles.load(f, null, "v9").version()).isEqualTo("v9");
        Path underscored = write("u.json", "{\"coef_\": [[1, 2, 3], [4, 5, 6]], \"intercept_\": [-0.5, 0.25],"
                + " \"classes_\": [0, 1]}");
        Model u = ModelFiles.load(underscored, null, null);
        assertIris(u);
        assertThat(u.version()).startsWith("u.json@");
    }

    /** scikit-learn's binary model: one row of weights, two classes; softmax over [0, z] is its predict_proba. */
    @Test
    void aBinaryJsonModelBecomesTwoRows() throws Exception {
        Path f = write("bin.json", "{\"coef\": [[2, -1]], \"intercept\": [0.5], \"classes\": [\"no\", \"yes\"]}");
        Model m = ModelFiles.load(f, null, null);
        assertThat(m.weights().classes()).isEqualTo(2);
        assertThat(m.weights().weight(0, 0)).isZero();
        assertThat(m.weights().weight(1, 0)).isEqualTo(2f);
        assertThat(m.weights().bias(0)).isZero();
        assertThat(m.weights().bias(1)).isEqualTo(0.5f);
        assertThat(m.classes()).containsExactly("no", "yes");
    }

    @Test
    void aChangedFileGetsAnotherVersion() throws Exception {
        Path f = write("m.json", "{\"coef\": [[1]], \"intercept\": [0]}");
        String v1 = ModelFiles.load(f, null, null).version();
        write("m.json", "{\"coef\": [[2]], \"intercept\": [0]}");
        assertThat(ModelFiles.load(f, null, null).version()).isNotEqualTo(v1).startsWith("m.json@");
    }

    @Test
    void hostileJsonIsRefusedWithTheReason() throws Exception {
        assertJsonFails("{\"coef\": [[1, 2], [3]], \"intercept\": [0, 0]}", "coef[1] has 1 weights, coef[0] has 2");
        assertJsonFails("{\"coef\": [[1, NaN]], \"intercept\": [0]}", "coef[0][1] is NaN");
        assertJsonFails("{\"coef\": [[1, 1e39]], \"intercept\": [0]}", "coef[0][1] is 1.0E39 (beyond float range)");
        assertJsonFails("{\"coef\": [[1, -Infinity]], \"intercept\": [0]}", "coef[0][1] is -Infinity");
        assertJsonFails("{\"coef\": [[1, 2]], \"intercept\": [0, 1]}", "intercept has 2 numbers; coef has 1 rows");
        assertJsonFails("{\"coef\": [[1, 2]], \"intercept\": [\"0\"]}", "intercept[0] is STRING; expected a number");
        assertJsonFails("{\"coef\": [[1, 2]]}", "missing field intercept (or intercept_)");
        assertJsonFails("{\"coef\": [[1, 2]], \"coef_\": [[1, 2]], \"intercept\": [0]}", "both coef and coef_");
        assertJsonFails("{\"coef\": [[1, 2], [3, 4]], \"intercept\": [0, 0], \"classes\": [\"a\"]}",
                "classes has 1 names; coef has 2 rows");
        assertJsonFails("{\"coef\": [[1, 2]], \"intercept\": [0], \"version\": \" \"}", "version must be");
        assertJsonFails("{\"coef\": [[1, 2]], \"intercept\": [0]", "not valid JSON");
        assertJsonFails("{\"coef\": [[1, 2", "not valid JSON");
        assertJsonFails("[[1, 2]]", "expected a JSON object");
        assertJsonFails("{\"coef\": [], \"intercept\": []}", "coef must be a non-empty array");
        assertJsonFails("{\"coef\": [[]], \"intercept\": [0]}", "a model needs at least one feature");
        assertJsonFails("[".repeat(100_000), "not valid JSON");
    }

    private void assertJsonFails(String json, String message) throws IOException {
        Path f = write("bad.json", json);
        assertThatThrownBy(() -> ModelFiles.load(f, null, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(message);
    }

    // ---- CSV

    @Test
    void csvWithAndWithoutHeaderOrClassColumn() throws Exception {
        assertIris(ModelFiles.load(write("plain.csv", "-0.5,1,2,3\n0.25,4,5,6\n"), null, null));
        assertIris(ModelFiles.load(write("header.csv", "intercept,x0,x1,x2\r\n-0.5,1,2,3\r\n\r\n0.25,4,5,6"), null,
                null));
        Model labelled = ModelFiles.load(write("labelled.csv", "class,intercept,x0,x1,x2\nsetosa,-0.5,1,2,3\n"
                + "versicolor, 0.25, 4, 5, 6\n"), null, null);
        assertIris(labelled);
        assertThat(labelled.classes()).containsExactly("setosa", "versicolor");
    }

    @Test
    void hostileCsvIsRefusedWithTheReason() throws Exception {
        assertCsvFails("-0.5,1,2,3\n0.25,4,5\n", "line 2 has 3 numbers, the first class line has 4");
        assertCsvFails("-0.5,1,NaN,3\n", "line 1, weight 1 is NaN");
        assertCsvFails("-0.5,1,2,3\n0.25,4,x,6\n", "line 2, weight 1 is 'x'; expected a number");
        assertCsvFails("inf,1,2,3\n", "line 1, intercept is Infinity");
        assertCsvFails("intercept,x0\n", "no class lines");
        assertCsvFails("", "no class lines");
        assertCsvFails("0.5\n", "line 1 has 1 numbers");
    }

    private void assertCsvFails(String csv, String message) throws IOException {
        Path f = write("bad.csv", csv);
        assertThatThrownBy(() -> ModelFiles.load(f, null, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(message);
    }

    // ---- files

    @Test
    void unknownTypesMissingFilesAndStrayInterceptsAreRefused() throws Exception {
        assertThatThrownBy(() -> ModelFiles.load(write("m.txt", "1"), null, null))
                .hasMessageContaining("unknown model file type '.txt'; expected .json, .csv or .npy");
        assertThatThrownBy(() -> ModelFiles.load(dir.resolve("absent.json"), null, null))
                .hasMessageContaining("absent.json: cannot be read");
        Path json = write("m.json", "{\"coef\": [[1]], \"intercept\": [0]}");
        assertThatThrownBy(() -> ModelFiles.load(json, json, null))
                .hasMessageContaining("a separate intercept file goes only with a .npy model");
    }

    @Test
    void theModelDescribesItselfWithoutItsWeights() throws Exception {
        Model m = ModelFiles.load(write("m.json", "{\"coef\": [[1, 2]], \"intercept\": [0], \"classes\": [\"a\"],"
                + " \"version\": 3}"), null, null);
        assertThat(m.toString()).isEqualTo("Model[1 classes x 2 features, version 3, classes [a]]");
        assertThat(m.classes()).isEqualTo(List.of("a"));
    }
}
