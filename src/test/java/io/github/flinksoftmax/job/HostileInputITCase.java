package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import static io.github.flinksoftmax.testing.Records.record;
import static io.github.flinksoftmax.testing.Records.utf8;

import io.github.flinksoftmax.format.BadRecordException;
import io.github.flinksoftmax.format.Formats;
import io.github.flinksoftmax.format.HeaderLookup;
import io.github.flinksoftmax.format.Mutations;
import io.github.flinksoftmax.format.Mutations.Case;
import io.github.flinksoftmax.format.Mutations.Target;
import io.github.flinksoftmax.format.LogitsFormat;
import io.github.flinksoftmax.testing.KafkaBroker;
import io.github.flinksoftmax.testing.ReferenceSoftmax;
import io.github.flinksoftmax.testing.Records;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.TestJobs;
import io.github.flinksoftmax.testing.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input through the real job: fuzzed records of every format each come out exactly once,
 * on the output or the dead-letter topic with the reason the decoder gives; and a one-minute storm
 * of nothing but bad records is dead-lettered at the rate it arrives, with no restart, after which
 * valid records flow as before. Rates are measured from the broker's append times
 * ({@code LogAppendTime} topics), so they are what a consumer of the topics would see.
 */
@ExtendWith(KafkaBroker.class)
class HostileInputITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FUZZ_CASES_PER_FORMAT = 150;
    private static final Duration STORM = Duration.ofSeconds(60);
    /** The storm's target input rate; a cap, so the records read back stay bounded on a small machine. */
    private static final int STORM_RATE = 10_000;
    private static final int VALID_AFTER_STORM = 20_000;
    private static final Set<String> ROW_REASONS = Set.of("non-finite-input", "all-masked", "empty-vector");

    @Test
    void everyFuzzedRecordComesOutExactlyOnce(@InjectMiniCluster MiniCluster cluster) throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Mutations mutations = new Mutations(seed);
        int total = 0;
        int deadLettered = 0;
        for (Target target : List.of(Target.JSON, Target.OIP_V2, Target.FLOAT32LE)) {
            int[] counts = fuzzOneFormat(cluster, target, mutations, seed);
            total += counts[0];
            deadLettered += counts[1];
        }
        System.out.printf("fuzz through the job (seed %d): %d records, %d dead-lettered, %d out, 0 restarts%n",
                seed, total, deadLettered, total - deadLettered);
    }

    /** @return the number of records sent and of those dead-lettered */
    private int[] fuzzOneFormat(MiniCluster cluster, Target target, Mutations mutations, long seed) throws Exception {
        String format = Mutations.formatName(target);
        List<String> t = KafkaBroker.createTopics("fuzz-" + format, 1, "in", "out", "dlq");
        LogitsFormat local = Formats.create(format, Mutations.settings(target));
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        Map<String, String> expectedReason = new HashMap<>(); // null: the decoder accepts it
        Map<String, byte[]> values = new HashMap<>();
        for (int i = 0; i < FUZZ_CASES_PER_FORMAT; i++) {
            Case c = mutations.next(target);
            String key = "case-" + i;
            ProducerRecord<byte[], byte[]> r = record(t.get(0), key, i == 0 ? null : c.value());
            if (c.shapeHeader() != null) {
                r.headers().add(io.github.flinksoftmax.format.Float32LeFormat.SHAPE_HEADER, utf8(c.shapeHeader()));
            }
            in.add(r);
            values.put(key, r.value());
            HeaderLookup headers = name -> r.headers().lastHeader(name) == null ? null : r.headers().lastHeader(name).value();
            try {
                local.decode(r.value(), headers);
                expectedReason.put(key, null);
            } catch (BadRecordException e) {
                expectedReason.put(key, e.reason().code());
            }
        }
        KafkaBroker.produce(in);
        Map<String, Object> overrides = new HashMap<>(Map.of("format", format));
        if (target == Target.OIP_V2) {
            overrides.put("oip.input-tensor", "logits");
        }
        try (RunningJob job = RunningJob.start(cluster, TestJobs.config(t.get(0), t.get(1), t.get(2), overrides))) {
            long expectedDead = expectedReason.values().stream().filter(v -> v != null).count();
            List<ConsumerRecord<byte[], byte[]>> dlq = KafkaBroker.read(t.get(2), true, (int) expectedDead,
                    Duration.ofSeconds(1), Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.read(t.get(1), true,
                    FUZZ_CASES_PER_FORMAT - dlq.size(), Duration.ofSeconds(1), Duration.ofSeconds(60));
            Map<String, Integer> seen = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dlq) {
                String key = Records.string(r.key());
                seen.merge(key, 1, Integer::sum);
                String reason = KafkaBroker.header(r, DeadLetters.REASON);
                String why = "seed " + seed + ", " + format + " " + key;
                if (expectedReason.get(key) != null) {
                    assertThat(reason).as(why).isEqualTo(expectedReason.get(key));
                } else {
                    assertThat(reason).as(why + ": decoded, so only a row can be bad").isIn(ROW_REASONS);
                }
                assertThat(r.value()).as("original bytes of " + why).isEqualTo(values.get(key));
                Records.assertKeptIdentity(r);
            }
            for (ConsumerRecord<byte[], byte[]> r : out) {
                String key = Records.string(r.key());
                seen.merge(key, 1, Integer::sum);
                assertThat(expectedReason.get(key)).as("seed %d: %s %s came out but fails to decode", seed, format, key)
                        .isNull();
                Records.assertKeptIdentity(r);
            }
            assertThat(seen).as("seed %d, %s: every record exactly once on out or dlq", seed, format)
                    .hasSize(FUZZ_CASES_PER_FORMAT).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
            assertThat(job.restarts()).as("restarts").isZero();
            return new int[] {FUZZ_CASES_PER_FORMAT, dlq.size()};
        }
    }

    @Test
    void aMinuteOfOnlyBadRecordsNeitherSlowsNorRestartsTheJob(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String run = "storm-" + UUID.randomUUID().toString().substring(0, 8);
        String in = run + "-in";
        String out = run + "-out";
        String dlq = run + "-dlq";
        createLogAppendTimeTopics(in, out, dlq);
        List<byte[]> poison = poison();
        try (RunningJob job = RunningJob.start(cluster, TestJobs.config(in, out, dlq,
                Map.of("format", "json", "softmax.max-length", "4096")))) {
            long stormStart = System.currentTimeMillis();
            int bad;
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                bad = 0;
                long end = System.nanoTime() + STORM.toNanos();
                long start = System.nanoTime();
                while (System.nanoTime() < end) {
                    producer.send(new ProducerRecord<>(in, null, utf8("bad-" + bad), poison.get(bad % poison.size())));
                    bad++;
                    long ahead = bad * 1_000_000_000L / STORM_RATE - (System.nanoTime() - start);
                    if (ahead > 1_000_000) {
                        Thread.sleep(ahead / 1_000_000);
                    }
                }
                producer.flush();
            }
            long stormEnd = System.currentTimeMillis();
            Tally dead = tally(dlq, "bad-", bad, Duration.ofSeconds(120));
            assertThat(dead.count).as("dead letters").isEqualTo(bad);
            assertThat(dead.duplicates).as("duplicate dead letters").isZero();
            assertThat(dead.withoutReason).as("dead letters without a reason").isZero();
            assertThat(job.restarts()).as("restarts during the storm").isZero();

            List<ProducerRecord<byte[], byte[]>> valid = new ArrayList<>();
            for (int i = 0; i < VALID_AFTER_STORM; i++) {
                valid.add(new ProducerRecord<>(in, null, utf8("valid-" + i), JSON.writeValueAsBytes(logits(i))));
            }
            KafkaBroker.produce(valid);
            Tally good = tally(out, "valid-", VALID_AFTER_STORM, Duration.ofSeconds(120));
            assertThat(good.count).as("valid records out after the storm").isEqualTo(VALID_AFTER_STORM);
            assertThat(good.duplicates).isZero();
            assertThat(good.wrong).as("valid records with wrong probabilities").isZero();
            assertThat(job.restarts()).as("restarts").isZero();
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);

            double stormSeconds = (stormEnd - stormStart) / 1000.0;
            System.out.printf("storm: %d bad records in %.1f s (%.0f/s sent); dead letters appended at %.0f/s,"
                            + " the last %d ms after the last bad record was sent; then %d valid records out at %.0f/s;"
                            + " restarts %d%n",
                    bad, stormSeconds, bad / stormSeconds, dead.rate(), dead.lastAppend - stormEnd,
                    good.count, good.rate(), job.restarts());
            // the dead-letter path keeps pace with the storm: within 10% of the rate it was sent at
            assertThat(dead.rate()).as("dead letters per second").isGreaterThan(0.9 * bad / stormSeconds);
        }
    }

    /** Bad records of every kind the storm cycles through, all small and cheap to send. */
    private static List<byte[]> poison() {
        List<byte[]> p = new ArrayList<>();
        p.add(utf8("[1.0, 2.0"));
        p.add(utf8("[1.0, \"two\", 3.0]"));
        p.add(utf8("{\"id\": 7, \"scores\": [1, 2]}"));
        p.add(utf8("[1.0, NaN, 3.0]"));
        p.add(utf8("[1e39, 2]"));
        p.add(utf8("[-Infinity, -Infinity]"));
        p.add(utf8("[]"));
        p.add(utf8("[[1, 2, 3], [4, 5]]"));
        p.add(utf8("[" + "0.5, ".repeat(4096) + "0.5]"));
        p.add(utf8("{\"logits\": [1], \"meta\": " + "[".repeat(1_001) + "]".repeat(1_001) + "}"));
        p.add(utf8("[" + "9".repeat(1_001) + "]"));
        p.add(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        p.add(new byte[0]);
        Mutations mutations = new Mutations(42);
        LogitsFormat json = Formats.create("json", Mutations.settings(Target.JSON));
        while (p.size() < 64) {
            byte[] v = mutations.next(Target.JSON).value();
            try {
                json.decode(v, HeaderLookup.NONE);
            } catch (BadRecordException e) {
                p.add(v); // only mutations the decoder rejects: a storm is 100% bad
            }
        }
        return p;
    }

    private static float[] logits(int i) {
        float[] z = new float[8];
        for (int j = 0; j < z.length; j++) {
            z[j] = (float) Math.sin(i * 0.7 + j) * 4;
        }
        return z;
    }

    /** What came out on a topic, counted as it streams by: hundreds of thousands of records are not kept. */
    private static final class Tally {
        final BitSet seen = new BitSet();
        int count;
        int duplicates;
        int withoutReason;
        int wrong;
        long firstAppend = Long.MAX_VALUE;
        long lastAppend;

        double rate() {
            return count / Math.max(0.001, (lastAppend - firstAppend) / 1000.0);
        }
    }

    private static Tally tally(String topic, String keyPrefix, int expected, Duration timeout) throws Exception {
        Tally t = new Tally();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    count(t, r, keyPrefix);
                }
                if (t.count >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return t;
    }

    private static void count(Tally t, ConsumerRecord<byte[], byte[]> r, String keyPrefix) throws Exception {
        int i = Integer.parseInt(Records.string(r.key()).substring(keyPrefix.length()));
        if (t.seen.get(i)) {
            t.duplicates++;
        }
        t.seen.set(i);
        t.count++;
        t.firstAppend = Math.min(t.firstAppend, r.timestamp());
        t.lastAppend = Math.max(t.lastAppend, r.timestamp());
        if (keyPrefix.startsWith("bad") && KafkaBroker.header(r, DeadLetters.REASON) == null) {
            t.withoutReason++;
        }
        if (keyPrefix.startsWith("valid")) {
            JsonNode probabilities = JSON.readTree(r.value()).get("probabilities");
            double[] expected = ReferenceSoftmax.softmax(logits(i), 1.0);
            for (int j = 0; j < expected.length; j++) {
                double got = probabilities.get(j).doubleValue();
                if (Math.abs(got - expected[j]) > 1e-6 * expected[j] + 1e-9) {
                    t.wrong++;
                    break;
                }
            }
        }
    }

    private static void createLogAppendTimeTopics(String... names) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, 1, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime")));
        }
        KafkaBroker.createTopics(topics);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
