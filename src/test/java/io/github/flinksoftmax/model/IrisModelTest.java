package io.github.flinksoftmax.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.kernel.Affine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sample model in {@code jobs/models/}: its three files (JSON, CSV, the {@code .npy} pair) hold
 * the same weights, and scored by the job's kernel it classifies Fisher's Iris data as its
 * training script reported (146 of 150 right, 0.973, as scikit-learn's default LogisticRegression).
 */
class IrisModelTest {

    private static final Path DIR = Path.of("jobs/models");

    @Test
    void theThreeFilesHoldTheSameModel() throws Exception {
        Model json = ModelFiles.load(DIR.resolve("iris-logreg.json"), null, null);
        Model csv = ModelFiles.load(DIR.resolve("iris-logreg.csv"), null, null);
        Model npy = ModelFiles.load(DIR.resolve("iris-logreg-coef.npy"), DIR.resolve("iris-logreg-intercept.npy"), null);
        assertThat(json.version()).isEqualTo("iris-2026-12-07");
        assertThat(json.classes()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(csv.classes()).isEqualTo(json.classes());
        for (Model other : List.of(csv, npy)) {
            assertThat(other.weights().classes()).isEqualTo(3);
            assertThat(other.weights().features()).isEqualTo(4);
            for (int j = 0; j < 3; j++) {
                assertThat(other.weights().bias(j)).isEqualTo(json.weights().bias(j));
                for (int i = 0; i < 4; i++) {
                    assertThat(other.weights().weight(j, i)).isEqualTo(json.weights().weight(j, i));
                }
            }
        }
    }

    @Test
    void itClassifiesTheIrisDataAsTrained() throws Exception {
        Model model = ModelFiles.load(DIR.resolve("iris-logreg.json"), null, null);
        List<String> lines = Files.readAllLines(DIR.resolve("samples.csv"));
        int right = 0;
        int n = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            float[] x = new float[4];
            for (int i = 0; i < 4; i++) {
                x[i] = Float.parseFloat(cells[i]);
            }
            float[] z = new float[3];
            Affine.create("auto").apply(model.weights(), x, 0, z, 0, 1);
            int best = z[0] >= z[1] && z[0] >= z[2] ? 0 : z[1] >= z[2] ? 1 : 2;
            right += model.classes().get(best).equals(cells[4]) ? 1 : 0;
            n++;
        }
        assertThat(n).isEqualTo(150);
        assertThat(right).isEqualTo(146);
    }
}
