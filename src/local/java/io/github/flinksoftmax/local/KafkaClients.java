package io.github.flinksoftmax.local;

import io.github.flinksoftmax.config.JobConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The local run's own Kafka clients (topic setup, sample producer, output reader), configured
 * from the job's {@code kafka.*} properties so that a secured cluster (SASL, TLS) needs its
 * settings given once. Identity settings of the job's clients are dropped: sharing the job's
 * {@code group.id} or {@code transactional.id} would interfere with the job itself.
 */
final class KafkaClients {

    private static final List<String> JOB_IDENTITY = List.of(
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.CLIENT_ID_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private final JobConfig config;

    KafkaClients(JobConfig config) {
        this.config = config;
    }

    Admin admin() {
        return Admin.create(withoutIdentity(config.kafkaSourceProperties()));
    }

    KafkaProducer<byte[], byte[]> producer() {
        Properties p = withoutIdentity(config.kafkaSinkProperties());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer that sees only committed transactions: the job's output as a correct reader sees it. */
    KafkaConsumer<byte[], byte[]> committedReader() {
        Properties p = withoutIdentity(config.kafkaSourceProperties());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Creates the topics that do not exist yet, with the cluster's default replication factor.
     *
     * @return how many were created
     */
    int createMissing(List<String> topics, int partitions) throws InterruptedException {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
                }
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // someone else creating it at the same moment is fine, anything else is not
                }
            }
            return missing.size();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot list or create topics " + topics + " on "
                    + config.kafkaSourceProperties().getProperty("bootstrap.servers") + ": " + e.getCause(), e);
        }
    }

    private static Properties withoutIdentity(Properties p) {
        JOB_IDENTITY.forEach(p::remove);
        return p;
    }
}
