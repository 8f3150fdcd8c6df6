package io.github.flinksoftmax.sql;

import static io.github.flinksoftmax.testing.Records.record;
import static io.github.flinksoftmax.testing.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.MiniClusters;
import io.github.flinksoftmax.testing.ReferenceSoftmax;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.types.DataType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The functions as users reach them, in Flink's TableEnvironment on a MiniCluster: registered with
 * {@code CREATE FUNCTION} in a batch query over VALUES (types following the input, the job
 * parameter choosing the policy), and as {@code LOAD MODULE softmax} in a streaming
 * {@code INSERT INTO} from a JSON Kafka topic to another through Flink's Kafka SQL connector and a
 * real broker, every value checked against the double-precision reference, with NULL, NaN,
 * {@code +Infinity} (NULL out) and {@code -Infinity} (a mask) rows among them.
 */
@ExtendWith(KafkaBroker.class)
class SqlFunctionsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LABELS = List.of("cat", "dog", "fox", "owl", "eel");
    private static final Map<String, String> FUNCTIONS = Map.of(
            "softmax", "SoftmaxSqlFunction", "log_softmax", "LogSoftmaxSqlFunction", "sigmoid", "SigmoidSqlFunction",
            "top_k", "TopKSqlFunction", "argmax", "ArgmaxSqlFunction", "entropy", "EntropySqlFunction");

    private static TableEnvironment batch(Map<String, String> jobParameters) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.getConfig().set(PipelineOptions.GLOBAL_JOB_PARAMETERS, jobParameters);
        FUNCTIONS.forEach((name, cls) -> env.executeSql(
                "CREATE TEMPORARY FUNCTION " + name + " AS 'io.github.flinksoftmax.sql." + cls + "'"));
        return env;
    }

    private static List<Row> collect(Table table) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = table.execute().collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void batchQueryOverValuesWithTypesFollowingTheInput() throws Exception {
        TableEnvironment env = batch(Map.of());
        Table t = env.sqlQuery("SELECT id, SOFTMAX(f) AS pf, SOFTMAX(d, 2) AS pd, LOG_SOFTMAX(f) AS lf, SIGMOID(d) AS sd, "
                + "TOP_K(SOFTMAX(f), 2, ARRAY['a', 'b', 'c']) AS top, ARGMAX(d) AS am, ENTROPY(SOFTMAX(d)) AS h, "
                + "ENTROPY(SOFTMAX(f)) AS hf FROM (VALUES "
                + "(1, CAST(ARRAY[1.0, 2.0, 3.0] AS ARRAY<FLOAT>), ARRAY[1.0, 2.0, 3.0]), "
                + "(2, CAST(ARRAY[0.5, -1e30, 0.5] AS ARRAY<FLOAT>), CAST(NULL AS ARRAY<DOUBLE>)), "
                + "(3, CAST(ARRAY[1.0, NULL] AS ARRAY<FLOAT>), CAST(ARRAY[1.0, NULL] AS ARRAY<DOUBLE>))"
                + ") AS v(id, f, d)");
        List<DataType> types = t.getResolvedSchema().getColumnDataTypes();
        assertThat(types.get(1).getLogicalType().asSummaryString()).isEqualTo("ARRAY<FLOAT NOT NULL>");
        assertThat(types.get(2).getLogicalType().asSummaryString()).isEqualTo("ARRAY<DOUBLE NOT NULL>");
        assertThat(types.get(5).getLogicalType().asSummaryString())
                .isEqualTo("ARRAY<ROW<`idx` INT NOT NULL, `label` STRING, `probability` FLOAT NOT NULL> NOT NULL>");
        assertThat(types.get(6).getLogicalType().asSummaryString()).isEqualTo("INT");
        assertThat(types.get(7).getLogicalType().asSummaryString()).isEqualTo("DOUBLE");
        assertThat(types.get(8).getLogicalType().asSummaryString()).isEqualTo("FLOAT");

        Map<Integer, Row> rows = new HashMap<>();
        collect(t).forEach(r -> rows.put((Integer) r.getField(0), r));
        Row one = rows.get(1);
        assertClose(floats(one.getField(1)), ReferenceSoftmax.softmax(new float[] {1, 2, 3}, 1));
        assertClose(doubles(one.getField(2)), ReferenceSoftmax.softmax(new float[] {1, 2, 3}, 0.5));
        assertClose(floats(one.getField(3)), ReferenceSoftmax.logSoftmax(new float[] {1, 2, 3}, 1));
        assertThat(((Object[]) one.getField(5))).hasSize(2);
        assertThat(((Row) ((Object[]) one.getField(5))[0]).getField("label")).isEqualTo("c");
        assertThat(one.getField(6)).isEqualTo(2);
        assertThat(floats(rows.get(2).getField(1))).containsExactly(0.5f, 0f, 0.5f);
        assertThat(rows.get(2).getField(2)).as("NULL array in, NULL out").isNull();
        assertThat(rows.get(3).getField(1)).as("a NULL element under the default policy").isNull();
        assertThat(rows.get(3).getField(6)).isNull();
    }

    @Test
    void theJobParameterOrTheModuleOptionTurnsInvalidRowsIntoErrors() {
        // NaN and infinite literals cannot be written here: the planner folds them into BigDecimal
        // and fails, so the invalid row is a NULL element; NaN and infinities come through Kafka
        // in the streaming test, and the unit tests check the error for them
        String invalid = "SELECT %s FROM (VALUES (CAST(ARRAY[1.0, NULL] AS ARRAY<DOUBLE>))) AS v(d)";
        TableEnvironment env = batch(Map.of(OnInvalid.JOB_PARAMETER, "error"));
        assertThatThrownBy(() -> collect(env.sqlQuery(invalid.formatted("SOFTMAX(d)"))))
                .hasStackTraceContaining("SOFTMAX: the array holds a NULL element");

        TableEnvironment module = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        module.executeSql("LOAD MODULE softmax WITH ('on-invalid' = 'error')");
        assertThatThrownBy(() -> collect(module.sqlQuery(invalid.formatted("ARGMAX(d)"))))
                .hasStackTraceContaining("ARGMAX: the array holds a NULL element");
        assertThatThrownBy(() -> collect(module.sqlQuery(invalid.formatted("SOFTMAX(d, 0)"))))
                .hasStackTraceContaining("SOFTMAX: temperature must be a finite number > 0");
        assertThatThrownBy(() -> TableEnvironment.create(EnvironmentSettings.inBatchMode())
                .executeSql("LOAD MODULE softmax WITH ('on-invalid' = 'skip')"))
                .hasStackTraceContaining("on-invalid must be 'null' or 'error', got 'skip'");
    }

    @Test
    void streamingInsertFromAJsonTopicToAnotherThroughTheModule() throws Exception {
        List<String> topics = KafkaBroker.createTopics("sql", 1, "logits", "probabilities");
        SplittableRandom random = new SplittableRandom(5);
        Map<String, float[]> logits = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            float[] z = new float[LABELS.size()];
            for (int j = 0; j < z.length; j++) {
                z[j] = (float) (3 * random.nextGaussian());
            }
            String id = "r" + i;
            logits.put(id, z);
            in.add(record(topics.get(0), id, JSON.writeValueAsBytes(Map.of("id", id, "logits", z))));
        }
        in.add(record(topics.get(0), "null", utf8("{\"id\": \"null\", \"logits\": null}")));
        // Flink's JSON format parses number strings, so the non-finite values reach the functions
        // as a producer writing "NaN" or "Infinity" would send them
        in.add(record(topics.get(0), "nan", utf8("{\"id\": \"nan\", \"logits\": [1, \"NaN\", 0.5, 0, 0]}")));
        in.add(record(topics.get(0), "inf", utf8("{\"id\": \"inf\", \"logits\": [1, \"Infinity\", 0.5, 0, 0]}")));
        in.add(record(topics.get(0), "mask", utf8("{\"id\": \"mask\", \"logits\": [1, \"-Infinity\", 0.5, 2, 0]}")));
        logits.put("mask", new float[] {1, Float.NEGATIVE_INFINITY, 0.5f, 2, 0});
        KafkaBroker.produce(in);

        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "1");
        env.executeSql("LOAD MODULE softmax");
        env.executeSql("CREATE TABLE logits (id STRING, logits ARRAY<FLOAT>) WITH ("
                + "'connector' = 'kafka', 'topic' = '" + topics.get(0) + "', "
                + "'properties.bootstrap.servers' = '" + KafkaBroker.bootstrapServers() + "', "
                + "'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json')");
        env.executeSql("CREATE TABLE probabilities (id STRING, probabilities ARRAY<FLOAT>, "
                + "top ARRAY<ROW<idx INT, label STRING, probability FLOAT>>, argmax INT, entropy FLOAT) WITH ("
                + "'connector' = 'kafka', 'topic' = '" + topics.get(1) + "', "
                + "'properties.bootstrap.servers' = '" + KafkaBroker.bootstrapServers() + "', "
                + "'sink.delivery-guarantee' = 'at-least-once', 'format' = 'json')");
        env.executeSql("INSERT INTO probabilities SELECT id, SOFTMAX(logits), "
                + "TOP_K(SOFTMAX(logits), 3, ARRAY['" + String.join("', '", LABELS) + "']), "
                + "ARGMAX(logits), ENTROPY(SOFTMAX(logits)) FROM logits").await();

        List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.read(topics.get(1), false, in.size(),
                Duration.ZERO, Duration.ofSeconds(30));
        assertThat(out).hasSize(in.size());
        for (ConsumerRecord<byte[], byte[]> r : out) {
            JsonNode row = JSON.readTree(r.value());
            String id = row.get("id").asText();
            if (id.equals("null") || id.equals("nan") || id.equals("inf")) {
                assertThat(row.get("probabilities").isNull()).as("%s: NULL out under on-invalid = null", id).isTrue();
                assertThat(row.get("top").isNull()).isTrue();
                assertThat(row.get("argmax").isNull()).isTrue();
                continue;
            }
            double[] expected = ReferenceSoftmax.softmax(logits.get(id), 1);
            float[] p = JSON.convertValue(row.get("probabilities"), float[].class);
            assertClose(p, expected);
            if (id.equals("mask")) {
                assertThat(p[1]).as("-Infinity is a mask").isZero();
            }
            int best = argmax(expected);
            assertThat(row.get("argmax").asInt()).isEqualTo(best);
            JsonNode first = row.get("top").get(0);
            assertThat(first.get("idx").asInt()).isEqualTo(best);
            assertThat(first.get("label").asText()).isEqualTo(LABELS.get(best));
            assertThat(row.get("top")).hasSize(3);
            double h = 0;
            for (double q : expected) {
                h -= q > 0 ? q * Math.log(q) : 0;
            }
            assertThat(Math.abs(row.get("entropy").doubleValue() - h)).isLessThan(1e-5);
        }
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return best;
    }

    /** The kernel's documented accuracy: 8 float ulp for probabilities >= 1e-3, absolute 1e-9 below. */
    private static void assertClose(float[] actual, double[] expected) {
        assertClose(doubles(actual), expected);
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(Math.abs(expected[i]), 1e-3);
            assertThat(Math.abs(actual[i] - expected[i])).as("entry %d", i).isLessThanOrEqualTo(8 * Math.ulp((float) scale));
        }
    }

    /** A collected FLOAT array, whichever array class the collect path hands back. */
    private static float[] floats(Object array) {
        if (array instanceof float[] f) {
            return f;
        }
        Object[] boxed = (Object[]) array;
        float[] out = new float[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = ((Number) boxed[i]).floatValue();
        }
        return out;
    }

    private static double[] doubles(Object array) {
        if (array instanceof double[] d) {
            return d;
        }
        if (array instanceof float[] f) {
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
        Object[] boxed = (Object[]) array;
        double[] out = new double[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = ((Number) boxed[i]).doubleValue();
        }
        return out;
    }
}
