package io.github.flinksoftmax.job;

import io.github.flinksoftmax.config.ConfigException;
import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks on the client, before the job is submitted, that its Kafka principals may do what the
 * job will do: READ the input topic (with the source's properties) and WRITE the output and
 * dead-letter topics (with the sink's), and READ them too with exactly-once and
 * {@code delivery.transaction-naming: pooling}, whose sinks ask for the topics' open transactions
 * when they start. A denial fails at once with a message naming the topic,
 * its option key and the missing operation, instead of a job that restarts forever on a
 * {@code TopicAuthorizationException}. It asks the broker for the operations the principal is
 * authorized for ({@code describeTopics} with {@code includeAuthorizedOperations}), which needs
 * only DESCRIBE on the topic. Failed authentication fails too; anything else it cannot decide (a
 * broker out of reach, a topic not created yet) is logged and left to the job's own retries.
 */
public final class KafkaPreflight {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPreflight.class);
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
    /** Long enough for a slow TLS handshake, short enough that an unreachable broker does not stall a submit. */
    private static final String TIMEOUT_MS = "20000";

    private KafkaPreflight() {}

    /**
     * @throws ConfigException when a principal fails to authenticate or lacks an operation the
     *     job needs; the message names every such topic and operation
     */
    public static void check(JobConfig config) {
        // a set: failed authentication would otherwise be reported once per topic
        Set<String> denials = new LinkedHashSet<>();
        denials.addAll(check(config.kafkaSourceProperties(),
                Map.of(config.get(SoftmaxOptions.INPUT_TOPIC), SoftmaxOptions.INPUT_TOPIC.key()),
                Map.of(AclOperation.READ, "")));
        Map<String, String> sinks = new LinkedHashMap<>();
        sinks.put(config.get(SoftmaxOptions.OUTPUT_TOPIC), SoftmaxOptions.OUTPUT_TOPIC.key());
        sinks.putIfAbsent(config.deadLetterTopic(), SoftmaxOptions.DEAD_LETTER_TOPIC.key());
        Map<AclOperation, String> sinksNeed = new LinkedHashMap<>();
        sinksNeed.put(AclOperation.WRITE, "");
        if (config.exactlyOnce()
                && config.get(SoftmaxOptions.DELIVERY_TRANSACTION_NAMING) == SoftmaxOptions.TransactionNaming.POOLING) {
            // the sink's start-up abort of lingering transactions asks the partitions for their producers (DescribeProducers)
            sinksNeed.put(AclOperation.READ, " (" + SoftmaxOptions.DELIVERY_TRANSACTION_NAMING.key() + ": "
                    + SoftmaxOptions.TransactionNaming.POOLING + " reads the topic's open transactions when the job starts;"
                    + " grant READ, or set it to " + SoftmaxOptions.TransactionNaming.INCREMENTING + ")");
        }
        denials.addAll(check(config.kafkaSinkProperties(), sinks, sinksNeed));
        if (!denials.isEmpty()) {
            throw new ConfigException(String.join("; ", denials)
                    + ". Grant the missing ACLs (kafka-acls.sh --add --allow-principal ... --operation ... --topic ...)"
                    + " or fix the credentials under 'kafka.', 'kafka.source.' or 'kafka.sink.'");
        }
    }

    /**
     * Denials of the operations {@code needed} on {@code topics} (name to option key) for the
     * principal of {@code client}; {@code needed} maps each operation to why it is needed, where
     * the topic's option does not say it (else "").
     */
    static List<String> check(Properties client, Map<String, String> topics, Map<AclOperation, String> needed) {
        Properties props = new Properties();
        props.putAll(client);
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        String principal = principal(client);
        List<String> denials = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            Map<String, KafkaFuture<TopicDescription>> described = admin
                    .describeTopics(topics.keySet(), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .topicNameValues();
            for (Map.Entry<String, String> topic : topics.entrySet()) {
                String denial = denial(described.get(topic.getKey()), topic.getKey(), topic.getValue(), needed, principal);
                if (denial != null) {
                    denials.add(denial);
                }
            }
        }
        return denials;
    }

    private static String denial(KafkaFuture<TopicDescription> future, String topic, String key,
            Map<AclOperation, String> needed, String principal) {
        try {
            Set<AclOperation> allowed = future.get().authorizedOperations();
            // null: the broker did not say (no authorizer reports nothing to check against)
            if (allowed == null || allowed.contains(AclOperation.ALL)) {
                return null;
            }
            List<String> missing = new ArrayList<>();
            needed.forEach((operation, why) -> {
                if (!allowed.contains(operation)) {
                    missing.add(operation + why);
                }
            });
            return missing.isEmpty() ? null : String.format("Kafka principal %s lacks %s on topic '%s' (%s); it has %s",
                    principal, String.join(" and ", missing), topic, key, new TreeSet<>(allowed));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String operations = String.join(" and ", needed.keySet().stream().map(AclOperation::toString).toList());
            if (cause instanceof TopicAuthorizationException) {
                return String.format("Kafka principal %s lacks DESCRIBE (and so cannot be checked for %s) on topic '%s' (%s)",
                        principal, operations, topic, key);
            }
            if (cause instanceof AuthenticationException) {
                return String.format("Kafka principal %s failed to authenticate: %s", principal, cause.getMessage());
            }
            if (cause instanceof UnknownTopicOrPartitionException) {
                LOG.warn("Topic '{}' ({}) does not exist yet; its {} permission is not checked before the job starts",
                        topic, key, operations);
            } else {
                LOG.warn("Could not check {} permission on topic '{}' ({}) before the job starts: {}",
                        operations, topic, key, cause.toString());
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking Kafka permissions", e);
        }
    }

    /**
     * The principal as far as the client settings tell it, for messages: the SASL user name
     * from the JAAS line (never the password), or what the protocol implies.
     */
    static String principal(Properties client) {
        String protocol = client.getProperty("security.protocol", "PLAINTEXT").toUpperCase(java.util.Locale.ROOT);
        if (protocol.startsWith("SASL")) {
            Matcher m = JAAS_USER.matcher(client.getProperty("sasl.jaas.config", ""));
            return m.find() ? "User:" + m.group(1) : "(the SASL user of sasl.jaas.config)";
        }
        if (protocol.equals("SSL")) {
            return "(the certificate in ssl.keystore.location " + client.getProperty("ssl.keystore.location", "?") + ")";
        }
        return "User:ANONYMOUS";
    }
}
