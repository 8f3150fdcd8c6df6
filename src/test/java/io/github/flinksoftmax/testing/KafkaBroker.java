package io.github.flinksoftmax.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft Kafka broker for tests, started once per test JVM and shared by every
 * test class that registers this extension (each test uses its own topics). Also the one place
 * tests produce to and read from Kafka, with real clients.
 *
 * <p>JUnit owns its lifecycle: it sits in the root extension store and is closed when the test
 * engine finishes, before Surefire ends the JVM. A JVM shutdown hook used to close it, at the same
 * time as every other hook and while the JVM was already on its way out.
 */
public final class KafkaBroker implements BeforeAllCallback {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(KafkaBroker.class);

    private static volatile KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(STORE).getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    }

    /**
     * Starts the shared broker for a program outside JUnit (a fixture writer's main); closing the
     * result stops it.
     */
    public static AutoCloseable startOutsideJUnit() {
        return Running.start();
    }

    /** The broker as a resource of the root store: closing it stops the broker. */
    private record Running(KafkaClusterTestKit kit) implements AutoCloseable {

        static Running start() {
            try {
                Running running = new Running(startKit());
                cluster = running.kit;
                try {
                    warmUp(plain());
                } catch (Exception e) {
                    running.close();
                    throw e;
                }
                return running;
            } catch (Exception e) {
                throw new IllegalStateException("The test Kafka broker did not start", e);
            }
        }

        @Override
        public void close() throws Exception {
            cluster = null;
            kit.close();
        }
    }

    private static KafkaClusterTestKit startKit() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                // one partition each: every coordinator lives on one partition that warmUp() has loaded
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                // Kafka checks every 5 min: a test record older than the retention vanished at a random
                // point of a random test; checked every second, such a record fails its test every time
                .setConfigProp("log.retention.check.interval.ms", "1000")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return kit;
    }

    /**
     * Creates the internal offsets and transaction-state topics by using them once, so the first
     * test's sinks and source do not race their creation (seen as transactions that never commit
     * within a test's timeout on a loaded machine).
     */
    static void warmUp(Map<String, Object> client) throws Exception {
        String topic = createTopics(client, "warm-up", 1, "t").get(0);
        Properties p = properties(client);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "warm-up");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, new byte[0]));
            producer.commitTransaction();
        }
        Properties c = properties(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "warm-up");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.poll(Duration.ofMillis(200)).isEmpty() && System.nanoTime() < deadline) {
                // the group join and first fetch prove the group coordinator is up
            }
            consumer.commitSync(Duration.ofSeconds(60));
        }
    }

    /** The shared broker's bootstrap servers; the test class must register this extension. */
    public static String bootstrapServers() {
        KafkaClusterTestKit running = cluster;
        if (running == null) {
            throw new IllegalStateException("no test broker: register @ExtendWith(KafkaBroker.class)");
        }
        return running.bootstrapServers();
    }

    /** Client properties for the shared broker. */
    private static Map<String, Object> plain() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    private static Properties properties(Map<String, Object> client) {
        Properties p = new Properties();
        p.putAll(client);
        return p;
    }

    /** Creates fresh topics named {@code prefix-<random>-<suffix>}; returns their names in order. */
    public static List<String> createTopics(String prefix, int partitions, String... suffixes) throws Exception {
        return createTopics(plain(), prefix, partitions, suffixes);
    }

    /**
     * {@link #createTopics(String, int, String...)} on any broker: {@code client} holds its
     * bootstrap servers and whatever else a client needs there (security settings).
     */
    public static List<String> createTopics(Map<String, Object> client, String prefix, int partitions,
            String... suffixes) throws Exception {
        String run = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> names = new ArrayList<>();
        List<NewTopic> topics = new ArrayList<>();
        for (String suffix : suffixes) {
            String name = run + "-" + suffix;
            names.add(name);
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        createTopics(client, topics);
        return names;
    }

    /**
     * Creates these topics (with whatever configs they carry) on any broker and returns once every
     * partition's leader serves requests: the one way tests create topics.
     */
    public static void createTopics(Map<String, Object> client, List<NewTopic> topics) throws Exception {
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(topics).all().get();
            awaitLeaders(admin, topics);
        }
    }

    /** {@link #createTopics(Map, List)} on the shared broker. */
    public static void createTopics(List<NewTopic> topics) throws Exception {
        createTopics(plain(), topics);
    }

    /**
     * Returns once every partition's leader serves requests. A topic is created before its
     * partitions are ready on the broker: a producer writing at once got NOT_LEADER_OR_FOLLOWER
     * for its first batch and then OUT_OF_ORDER_SEQUENCE_NUMBER for that batch's every retry, while
     * later batches were appended; after delivery.timeout.ms the batch's records were gone (seen:
     * 853 of 3,000 inputs never written, which then looked like records the job lost). ListOffsets
     * goes to the partition leader and the admin client retries it until the leader answers.
     */
    private static void awaitLeaders(Admin admin, List<NewTopic> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (NewTopic t : topics) {
            for (int p = 0; p < t.numPartitions(); p++) {
                partitions.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
            }
        }
        // right after creation the admin client's metadata may not know the topic yet, and
        // listOffsets fails at once with UnknownTopicOrPartitionException instead of retrying
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Writes the records and waits until the broker has acknowledged every one; throws if any was
     * not written, so a test never mistakes input that is not there for output the job lost.
     */
    public static void produce(List<ProducerRecord<byte[], byte[]>> records) {
        produce(plain(), records);
    }

    /** {@link #produce(List)} on any broker, with the client properties it needs. */
    public static void produce(Map<String, Object> client, List<ProducerRecord<byte[], byte[]>> records) {
        Properties p = properties(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
        }
        int failed = 0;
        Exception first = null;
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing test inputs", e);
            } catch (ExecutionException e) {
                failed++;
                first = first == null ? e : first;
            }
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + records.size() + " test inputs were not written", first);
        }
    }

    /**
     * Reads a topic from the beginning until {@code expected} records arrived, then keeps reading
     * for {@code settle} to catch any record beyond them (a duplicate, say), or gives up after
     * {@code timeout}.
     *
     * @param readCommitted read with {@code isolation.level=read_committed}, as users of the
     *     exactly-once output must
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(String topic, boolean readCommitted, int expected,
            Duration settle, Duration timeout) {
        return read(plain(), topic, readCommitted, expected, settle, timeout);
    }

    /** {@link #read(String, boolean, int, Duration, Duration)} on any broker. */
    public static List<ConsumerRecord<byte[], byte[]>> read(Map<String, Object> client, String topic,
            boolean readCommitted, int expected, Duration settle, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = fromBeginning(client, topic, readCommitted, deadline)) {
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
                if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return out;
    }

    /**
     * Reads the topic read_committed from the beginning, with one consumer, until a record of
     * every one of these keys has arrived; fails after {@code timeout}. Unlike
     * {@link #read(String, boolean, int, Duration, Duration)}, which stops at a count, this waits
     * for the keys themselves, so duplicates in the topic cannot end the wait early.
     */
    public static void awaitKeys(String topic, Collection<String> keys, Duration timeout) {
        Set<String> missing = new HashSet<>(keys);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = fromBeginning(plain(), topic, true, deadline)) {
            int polled = 0;
            while (!missing.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    Map<TopicPartition, Long> positions = new HashMap<>();
                    consumer.assignment().forEach(p -> positions.put(p, consumer.position(p)));
                    throw new AssertionError(missing.size() + " of " + keys.size() + " keys not in " + topic
                            + " within " + timeout + "; " + visibility(consumer, topic) + "; this reader polled "
                            + polled + " records and is at " + positions + "; a new read_committed reader reads "
                            + read(topic, true, Integer.MAX_VALUE, Duration.ZERO, Duration.ofSeconds(3)).size()
                            + ", a new read_uncommitted one "
                            + read(topic, false, Integer.MAX_VALUE, Duration.ZERO, Duration.ofSeconds(3)).size());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    polled++;
                    if (r.key() != null) {
                        missing.remove(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    /**
     * Why a read_committed reader may not see what was written: per partition, the end offset,
     * the last stable offset (the first offset of the oldest open transaction, the most such a
     * reader can see) and each producer whose transaction is open there, with the offset it
     * started at. A lingering transaction blocks every later committed record until the broker
     * times it out.
     */
    static String visibility(KafkaConsumer<byte[], byte[]> committedReader, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            Set<TopicPartition> partitions = committedReader.assignment();
            Map<TopicPartition, Long> stable = committedReader.endOffsets(partitions);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            var producers = admin.describeProducers(partitions).all().get();
            Map<Long, String> transactionalIds = new HashMap<>();
            admin.listTransactions().all().get()
                    .forEach(t -> transactionalIds.put(t.producerId(), t.transactionalId() + " " + t.state()));
            StringBuilder text = new StringBuilder("visibility:");
            for (TopicPartition p : partitions) {
                text.append(" [").append(p).append(" end=").append(ends.get(p).offset())
                        .append(" last-stable=").append(stable.get(p)).append(" open transactions=");
                producers.get(p).activeProducers().stream()
                        .filter(s -> s.currentTransactionStartOffset().isPresent())
                        .forEach(s -> text.append("(").append(transactionalIds.get(s.producerId())).append(" epoch ")
                                .append(s.producerEpoch()).append(" from offset ")
                                .append(s.currentTransactionStartOffset().getAsLong()).append(')'));
                text.append(']');
            }
            return text.toString();
        } catch (Exception e) {
            return "visibility unknown: " + e;
        }
    }

    /** A consumer assigned every partition of the topic, positioned at the beginning. */
    private static KafkaConsumer<byte[], byte[]> fromBeginning(Map<String, Object> client, String topic,
            boolean readCommitted, long deadline) {
        Properties p = properties(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = partitions(consumer, topic, deadline);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /**
     * The topic's partitions, asked again until the consumer's metadata has them: an empty answer
     * would assign nothing and read nothing for the whole timeout.
     */
    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, long deadline) {
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (!partitions.isEmpty() || System.nanoTime() > deadline) {
                return partitions;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return partitions;
            }
        }
    }

    /** Shorthand for the header value of a consumed record as a string, or {@code null}. */
    public static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        var h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

}
