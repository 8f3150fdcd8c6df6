package io.github.flinksoftmax.sql;

import static io.github.flinksoftmax.testing.Records.record;
import static io.github.flinksoftmax.testing.Records.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.MiniClusters;
import io.github.flinksoftmax.testing.ReferenceSoftmax;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.catalog.ContextResolvedFunction;
import org.apache.flink.table.catalog.FunctionCatalog;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.UnresolvedIdentifier;
import org.apache.flink.table.functions.FunctionIdentifier;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SQL client session of docs/sql.md, run as a user types it: the statements are read from the
 * file's {@code sql} blocks, so the page and the test cannot drift, and executed one at a time in a
 * streaming {@code TableEnvironment} (what {@code sql-client.sh} runs each statement in) on a
 * MiniCluster, against the test broker, with the packaged job jar. Only the jar's path, the
 * bootstrap servers and the topic names are replaced. Both documented variants run: the session as
 * written ({@code LOAD MODULE}), and with the {@code CREATE FUNCTION ... USING JAR} block in place of
 * the {@code LOAD MODULE} line. The streaming {@code SELECT} and the {@code INSERT INTO} both read an
 * unbounded topic, as the user's do, so the test takes the rows it expects and then cancels each
 * job, as a user quits the result view or cancels the job. No SQL client jar is available to the
 * offline build, so the client itself (its parser of {@code ;}-terminated input, its result view)
 * is not under test.
 */
@ExtendWith(KafkaBroker.class)
class SqlSessionJarIT {

    /**
     * Kafka's classes come from the class path, never from the jar. A Flink distribution has no
     * Kafka classes in lib/, so there the connector and kafka-clients both come from the jar. This
     * JVM, the MiniCluster's "lib/", has both: the connector is then loaded from it (Flink's own
     * package is parent-first), and kafka-clients, child-first, from the jar, and the job failed to
     * deserialize ("cannot assign instance of OffsetResetStrategy to field ... of type
     * OffsetResetStrategy"). The functions and the module still come from the jar, as checked.
     */
    private static final Configuration KAFKA_FROM_THE_CLASS_PATH = new Configuration()
            .set(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL, List.of("org.apache.kafka."));

    /** Two slots: the {@code SELECT}'s job is still being cancelled when the {@code INSERT}'s starts. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2, KAFKA_FROM_THE_CLASS_PATH);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOC = Path.of("docs", "sql.md");
    private static final List<String> LABELS = List.of("cat", "dog", "fox", "owl", "eel");
    /** The session's {@code SOFTMAX(logits, 2.0)} in the {@code INSERT INTO}. */
    private static final double TEMPERATURE = 2.0;
    private static final int ROWS = 20;
    private static final List<String> SESSION_FUNCTIONS = List.of("softmax", "top_k", "entropy");

    /** The doc's placeholders, each replaced by this machine's value. */
    private static final String DOC_JAR = "/opt/flink-softmax/flink-softmax-0.1.0-SNAPSHOT.jar";
    private static final String DOC_BOOTSTRAP = "kafka:9092";
    private static final String DOC_INPUT_TOPIC = "'topic' = 'logits'";
    private static final String DOC_OUTPUT_TOPIC = "'topic' = 'probabilities'";

    private static Path jar;
    /** The session as the page has it, and the page's {@code CREATE FUNCTION} alternative. */
    private static List<String> session;
    private static List<String> createFunctions;

    @BeforeAll
    static void readTheDoc() throws Exception {
        jar = Path.of(System.getProperty("job.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged job jar").isRegularFile();
        assertThat(jar.getFileName().toString()).as("the jar the page tells users to add is the one the build makes")
                .isEqualTo(Path.of(DOC_JAR).getFileName().toString());
        List<String> blocks = sqlBlocks(section(Files.readString(DOC), "## A SQL client session"));
        assertThat(blocks).as("the session and its CREATE FUNCTION alternative").hasSize(2);
        session = statements(blocks.get(0));
        createFunctions = statements(blocks.get(1));
        // what the test relies on the page to say; a rewrite of the page that changes it must
        // change the test too, rather than leave a part of the session unrun
        assertThat(session).extracting(SqlSessionJarIT::verb).containsExactly(
                "ADD JAR", "LOAD MODULE", "CREATE TABLE", "SELECT", "CREATE TABLE", "INSERT INTO");
        assertThat(createFunctions).extracting(SqlSessionJarIT::verb).containsOnly("CREATE FUNCTION").hasSize(3);
        assertThat(String.join("\n", session)).contains(DOC_JAR, DOC_BOOTSTRAP, DOC_INPUT_TOPIC, DOC_OUTPUT_TOPIC);
        assertThat(createFunctions).allMatch(s -> s.contains("USING JAR '" + DOC_JAR + "'"));
    }

    @Test
    @Timeout(120)
    void theSessionAsWrittenWithTheModule() throws Exception {
        TableEnvironment env = run(session);
        for (String name : SESSION_FUNCTIONS) {
            ContextResolvedFunction function = resolve(env, name);
            assertThat(function.getIdentifier().flatMap(FunctionIdentifier::getSimpleName))
                    .as("%s is the module's (a system function)", name).contains(name);
            // where the module came from cannot be checked in this JVM: creating the session,
            // before ADD JAR, Flink already looked up every table factory through the session's
            // class loader and found the module's factory in target/classes, and the JVM keeps
            // that answer for the loader, so LOAD MODULE's lookup gets the class path's copy. In
            // the SQL client nothing outside the jar has the class, so the jar's is the one found.
            // The CREATE FUNCTION session checks the jar.
        }
    }

    @Test
    @Timeout(120)
    void theSessionWithCreateFunctionInPlaceOfLoadModule() throws Exception {
        List<String> statements = new ArrayList<>();
        for (String s : session) {
            if (verb(s).equals("LOAD MODULE")) {
                statements.addAll(createFunctions);
            } else {
                statements.add(s);
            }
        }
        TableEnvironment env = run(statements);
        for (String name : SESSION_FUNCTIONS) {
            ContextResolvedFunction function = resolve(env, name);
            assertThat(function.getIdentifier().flatMap(FunctionIdentifier::getIdentifier))
                    .as("%s is the catalog's", name)
                    .contains(ObjectIdentifier.of(env.getCurrentCatalog(), env.getCurrentDatabase(), name));
            assertThat(function.getCatalogFunction().getFunctionResources())
                    .extracting(r -> r.getUri().startsWith("file:") ? Path.of(URI.create(r.getUri())) : Path.of(r.getUri()))
                    .as("the jar recorded with %s", name).containsExactly(jar);
            assertThat(codeSource(function.getDefinition().getClass())).as("where %s was loaded from", name).isEqualTo(jar);
        }
    }

    /**
     * Writes the input, then runs the statements in order, each as the SQL client would: DDL and
     * the like must succeed, the {@code SELECT} must show the expected rows, the {@code INSERT}
     * must fill the output topic.
     */
    private static TableEnvironment run(List<String> statements) throws Exception {
        List<String> topics = KafkaBroker.createTopics("sql-session", 1, "logits", "probabilities");
        Map<String, float[]> logits = produceLogits(topics.get(0));
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode()
                .withConfiguration(KAFKA_FROM_THE_CLASS_PATH).build());
        // the topics have one partition: a second source subtask would only idle, and one slot per
        // job lets the INSERT start while the SELECT's job is being cancelled
        env.getConfig().set("parallelism.default", "1");
        for (String statement : statements) {
            String sql = statement
                    .replace(DOC_JAR, jar.toString())
                    .replace(DOC_BOOTSTRAP, KafkaBroker.bootstrapServers())
                    .replace(DOC_INPUT_TOPIC, "'topic' = '" + topics.get(0) + "'")
                    .replace(DOC_OUTPUT_TOPIC, "'topic' = '" + topics.get(1) + "'");
            switch (verb(statement)) {
                case "SELECT" -> checkSelect(env.executeSql(sql), logits);
                case "INSERT INTO" -> checkInsert(env.executeSql(sql), topics.get(1), logits);
                default -> assertThat(env.executeSql(sql).getResultKind()).as(statement).isEqualTo(ResultKind.SUCCESS);
            }
        }
        return env;
    }

    /** {@code ROWS} rows of five logits, and one with a NaN, which the functions turn into NULL. */
    private static Map<String, float[]> produceLogits(String topic) throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        Map<String, float[]> logits = new LinkedHashMap<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            float[] z = new float[LABELS.size()];
            for (int j = 0; j < z.length; j++) {
                z[j] = (float) (3 * random.nextGaussian());
            }
            String id = "r" + i;
            logits.put(id, z);
            records.add(record(topic, id, JSON.writeValueAsBytes(Map.of("id", id, "logits", z))));
        }
        // Flink's JSON format reads a number string, so "NaN" reaches the function as a NaN
        records.add(record(topic, "nan", utf8("{\"id\": \"nan\", \"logits\": [1, \"NaN\", 0.5, 0, 0]}")));
        logits.put("nan", null);
        KafkaBroker.produce(records);
        return logits;
    }

    /** {@code SELECT id, SOFTMAX(logits) FROM logits}: a row per input, then the query is cancelled. */
    private static void checkSelect(TableResult result, Map<String, float[]> logits) throws Exception {
        Map<String, Object> rows = new HashMap<>();
        try (CloseableIterator<Row> it = result.collect()) {
            while (rows.size() < logits.size() && it.hasNext()) {
                Row row = it.next();
                assertThat(rows.put((String) row.getField(0), row.getField(1))).as("a second row for %s", row).isNull();
            }
        }
        assertThat(rows).containsOnlyKeys(logits.keySet());
        logits.forEach((id, z) -> {
            if (z == null) {
                assertThat(rows.get(id)).as("%s: NULL under on-invalid = null", id).isNull();
            } else {
                assertClose(id, floats((Object[]) rows.get(id)), ReferenceSoftmax.softmax(z, 1));
            }
        });
    }

    /**
     * The {@code INSERT INTO}'s records in the output topic: probabilities at temperature 2, the top
     * three classes by name in the reference's order, and the entropy; then the job is cancelled.
     */
    private static void checkInsert(TableResult result, String topic, Map<String, float[]> logits) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> out;
        try {
            out = KafkaBroker.read(topic, false, logits.size(), Duration.ZERO, Duration.ofSeconds(60));
        } finally {
            result.getJobClient().orElseThrow().cancel().get();
        }
        Map<String, JsonNode> rows = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            JsonNode row = JSON.readTree(r.value());
            assertThat(rows.put(row.get("id").asText(), row)).as("a second record for %s", row).isNull();
        }
        assertThat(rows).containsOnlyKeys(logits.keySet());
        logits.forEach((id, z) -> {
            JsonNode row = rows.get(id);
            if (z == null) {
                assertThat(row.get("probabilities").isNull()).as("%s: NULL under on-invalid = null", id).isTrue();
                assertThat(row.get("top").isNull()).isTrue();
                assertThat(row.get("entropy").isNull()).isTrue();
                return;
            }
            double[] expected = ReferenceSoftmax.softmax(z, 1 / TEMPERATURE);
            float[] p = JSON.convertValue(row.get("probabilities"), float[].class);
            assertClose(id, p, expected);

            int[] order = IntStream.range(0, expected.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -expected[i]).thenComparingInt(i -> i))
                    .mapToInt(Integer::intValue).toArray();
            JsonNode top = row.get("top");
            assertThat(top).as("%s: top", id).hasSize(3);
            for (int rank = 0; rank < 3; rank++) {
                JsonNode entry = top.get(rank);
                int idx = order[rank];
                assertThat(entry.get("idx").asInt()).as("%s: top[%d]", id, rank).isEqualTo(idx);
                assertThat(entry.get("label").asText()).isEqualTo(LABELS.get(idx));
                assertThat(entry.get("probability").floatValue()).isEqualTo(p[idx]);
            }

            double h = 0;
            for (double q : expected) {
                h -= q > 0 ? q * Math.log(q) : 0;
            }
            assertThat(Math.abs(row.get("entropy").doubleValue() - h)).as("%s: entropy", id).isLessThan(1e-5);
        });
    }

    /** The kernel's documented accuracy: 8 float ulp for probabilities >= 1e-3, absolute below. */
    private static void assertClose(String id, float[] actual, double[] expected) {
        assertThat(actual).as(id).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(Math.abs(expected[i]), 1e-3);
            assertThat(Math.abs(actual[i] - expected[i])).as("%s: entry %d", id, i)
                    .isLessThanOrEqualTo(8 * Math.ulp((float) scale));
        }
    }

    private static float[] floats(Object[] boxed) {
        float[] out = new float[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = ((Number) boxed[i]).floatValue();
        }
        return out;
    }

    /** The page's text from {@code heading} to the next heading of the same level. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("docs/sql.md has the section %s", heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** The bodies of the section's {@code ```sql} blocks, in order. */
    static List<String> sqlBlocks(String section) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?ms)^```sql\\n(.*?)^```$").matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /**
     * The statements of a block as the SQL client reads them: {@code --} comment lines dropped, a
     * statement ending at {@code ;}. The page's statements hold no {@code ;} inside a literal.
     */
    static List<String> statements(String block) {
        StringBuilder sql = new StringBuilder();
        for (String line : block.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        assertThat(sql.toString().strip()).as("every statement ends with ;").endsWith(";");
        List<String> out = new ArrayList<>();
        for (String s : sql.toString().split(";")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** The statement's kind: its first one or two keywords. */
    static String verb(String statement) {
        String[] words = statement.toUpperCase(Locale.ROOT).split("\\s+");
        return switch (words[0]) {
            case "SELECT" -> "SELECT";
            default -> words[0] + " " + words[1];
        };
    }

    private static Path codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * What the planner calls for {@code name} in this session. The test JVM has the project's
     * classes on its class path too, so the class's origin shows that the session took it from the
     * added jar (Flink's session class loader is child-first for non-Flink classes). Flink keeps
     * the function catalog in a protected field.
     */
    private static ContextResolvedFunction resolve(TableEnvironment env, String name) throws ReflectiveOperationException {
        Field field = TableEnvironmentImpl.class.getDeclaredField("functionCatalog");
        field.setAccessible(true);
        return ((FunctionCatalog) field.get(env)).lookupFunction(UnresolvedIdentifier.of(name)).orElseThrow();
    }
}
