package io.github.flinksoftmax.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SampleLogitsTest {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @Test
    void theSameIndexGivesTheSameRecord() {
        assertThat(SampleLogits.sample(42).value()).isEqualTo(SampleLogits.sample(42).value());
        assertThat(SampleLogits.sample(42).value()).isNotEqualTo(SampleLogits.sample(43).value());
    }

    @Test
    void theFirstTwoHundredRecordsShowEveryKindAndFewAreBad() {
        Set<SampleLogits.Kind> kinds = EnumSet.noneOf(SampleLogits.Kind.class);
        int bad = 0;
        for (int n = 0; n < 200; n++) {
            SampleLogits.Sample s = SampleLogits.sample(n);
            kinds.add(s.kind());
            bad += s.bad() ? 1 : 0;
            assertThat(s.id()).isEqualTo(String.format("img-%06d", n));
        }
        assertThat(kinds).containsExactlyInAnyOrder(SampleLogits.Kind.values());
        assertThat(bad).isBetween(5, 15);
    }

    @Test
    void goodRecordsAreClassifierRowsOfAThousandWithAClearWinner() throws Exception {
        for (int n = 0; n < 100; n++) {
            SampleLogits.Sample s = SampleLogits.sample(n);
            if (s.bad()) {
                continue;
            }
            JsonNode root = JSON.readTree(s.value());
            JsonNode logits = root.isObject() ? root.path("logits") : root;
            if (root.isObject()) {
                assertThat(root.path("id").asText()).isEqualTo(s.id());
            }
            for (JsonNode row : logits.get(0).isArray() ? rows(logits) : List.of(logits)) {
                assertThat(row).hasSize(SampleLogits.CLASSES);
                double[] z = new double[row.size()];
                for (int i = 0; i < z.length; i++) {
                    z[i] = row.get(i).asDouble();
                }
                long masked = java.util.Arrays.stream(z).filter(x -> x == Double.NEGATIVE_INFINITY).count();
                assertThat(masked).as("masked entries of %s (%s)", s.id(), s.kind())
                        .isEqualTo(s.kind() == SampleLogits.Kind.MASKED ? 100 : 0);
                java.util.Arrays.sort(z);
                // a classifier's winner stands far out of the noise; its neighbours may come close to it
                assertThat(z[z.length - 1] - z[z.length / 2]).as("top class over the median in %s", s.id()).isGreaterThan(4);
            }
        }
    }

    @Test
    void badRecordsAreBadInTheWayTheirKindSays() throws Exception {
        assertThatThrownBy(() -> JSON.readTree(sampleOf(SampleLogits.Kind.MALFORMED).value())).isInstanceOf(Exception.class);
        assertThat(JSON.readTree(sampleOf(SampleLogits.Kind.NAN).value()).path("logits").toString()).contains("NaN");
        assertThat(JSON.readTree(sampleOf(SampleLogits.Kind.EMPTY).value()).path("logits")).isEmpty();
        JsonNode allMasked = JSON.readTree(sampleOf(SampleLogits.Kind.ALL_MASKED).value()).path("logits");
        assertThat(allMasked).hasSize(SampleLogits.CLASSES).allMatch(x -> x.asDouble() == Double.NEGATIVE_INFINITY);
    }

    @Test
    void threeDecimalsAreWrittenAsJavaWouldRoundThem() {
        for (float z : new float[] {0f, 1.5f, -2.25f, 0.0123f, -0.0004f, 0.05f, 0.005f, 11.9999f, -7.0625f}) {
            StringBuilder sb = new StringBuilder();
            SampleLogits.appendThreeDecimals(sb, z);
            assertThat(Double.parseDouble(sb.toString())).as("%s -> %s", z, sb).isCloseTo(z, org.assertj.core.data.Offset.offset(0.0005 + 1e-9));
            assertThat(sb.toString()).matches("-?\\d+\\.\\d{3}");
        }
    }

    private static List<JsonNode> rows(JsonNode batch) {
        List<JsonNode> rows = new ArrayList<>();
        batch.forEach(rows::add);
        return rows;
    }

    private static SampleLogits.Sample sampleOf(SampleLogits.Kind kind) {
        for (int n = 0; ; n++) {
            if (SampleLogits.kind(n) == kind) {
                return SampleLogits.sample(n);
            }
        }
    }
}
