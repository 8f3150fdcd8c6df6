package io.github.flinksoftmax.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinksoftmax.config.ConfigException;
import io.github.flinksoftmax.job.KafkaPreflight;
import io.github.flinksoftmax.job.SoftmaxJob;
import io.github.flinksoftmax.testing.LogCapture;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.SecuredKafka;
import io.github.flinksoftmax.testing.MiniClusters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A principal that may read the input and write the dead-letter topic, but only DESCRIBE and
 * READ the output topic, under the broker's {@code StandardAuthorizer}: the job's entry point
 * refuses to submit with a message naming the principal, the topic and the missing WRITE; and a
 * job that starts anyway (the check bypassed) fails with an error that names the topic. Also a
 * principal with WRITE but not READ on the written topics, which the default pooled
 * transactions need.
 */
@ExtendWith(SecuredKafka.Extension.class)
class MissingPermissionITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    private static SecuredJobs withoutWrite(SecuredKafka kafka) throws Exception {
        SecuredJobs run = new SecuredJobs(kafka, "deny");
        kafka.grantJob(SecuredKafka.MALLORY, run.jobName, run.in, run.dlq);
        kafka.grant(List.of(
                SecuredKafka.allow(SecuredKafka.MALLORY, ResourceType.TOPIC, run.out, PatternType.LITERAL, AclOperation.DESCRIBE),
                SecuredKafka.allow(SecuredKafka.MALLORY, ResourceType.TOPIC, run.out, PatternType.LITERAL, AclOperation.READ)));
        return run;
    }

    @Test
    void theJobRefusesToStartNamingTopicAndPermission(SecuredKafka kafka, @TempDir Path dir) throws Exception {
        SecuredJobs run = withoutWrite(kafka);
        String password = kafka.password(SecuredKafka.MALLORY);
        Map<String, String> secret = SecuredJobs.secretsFile(dir, Map.of("password", password));
        Map<String, Object> client = kafka.scram(SecuredKafka.MALLORY, secret.get("password"));
        Path jobFile = dir.resolve("job.yaml");
        // the job file a user would write: the Kafka settings only under the kafka. pass-through
        Files.writeString(jobFile, jobYaml(run, client), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> SoftmaxJob.main(new String[] {"--job", jobFile.toString()}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Kafka principal User:mallory lacks WRITE on topic '" + run.out + "' (output.topic)")
                .hasMessageNotContaining(run.dlq)
                .hasMessageNotContaining(password);
    }

    /**
     * Exactly-once with the default {@code delivery.transaction-naming: pooling} also needs READ
     * on the topics the sinks write: at start each sink asks their partitions for open
     * transactions. A principal with only WRITE and DESCRIBE there is refused before submission,
     * the message naming both topics, the option and its other value; with that value,
     * {@code incrementing}, the same principal passes the check.
     */
    @Test
    void pooledTransactionsNeedReadOnTheSinksTopics(SecuredKafka kafka) throws Exception {
        SecuredJobs run = new SecuredJobs(kafka, "noread");
        kafka.grantJob(SecuredKafka.MALLORY, run.jobName, run.in);
        List<AclBinding> writeOnly = new ArrayList<>();
        for (String topic : List.of(run.out, run.dlq)) {
            writeOnly.add(SecuredKafka.allow(SecuredKafka.MALLORY, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            writeOnly.add(SecuredKafka.allow(SecuredKafka.MALLORY, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        kafka.grant(writeOnly);
        Map<String, Object> client = kafka.scram(SecuredKafka.MALLORY, kafka.password(SecuredKafka.MALLORY));

        assertThatThrownBy(() -> KafkaPreflight.check(run.config(client)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("lacks READ (delivery.transaction-naming: pooling reads the topic's open transactions"
                        + " when the job starts; grant READ, or set it to incrementing) on topic '" + run.out + "' (output.topic)")
                .hasMessageContaining("on topic '" + run.dlq + "' (dead-letter.topic)")
                .hasMessageNotContaining("lacks WRITE");
        assertThatCode(() -> KafkaPreflight.check(run.config(client, Map.of("delivery.transaction-naming", "incrementing"))))
                .doesNotThrowAnyException();
    }

    /**
     * The failed task logs Kafka's denial naming the topic. The log, not the job's recorded
     * failure: the writer rethrows the send error when the failed task closes it, which Flink
     * treats as fatal for the TaskManager, and whether the job records the denial or the
     * TaskManager's shutdown first is a race (both were seen).
     */
    @Test
    void aJobStartedAnywayFailsNamingTheTopic(SecuredKafka kafka, @InjectMiniCluster MiniCluster cluster, @TempDir Path dir) throws Exception {
        SecuredJobs run = withoutWrite(kafka);
        Map<String, String> secret = SecuredJobs.secretsFile(dir, Map.of("password", kafka.password(SecuredKafka.MALLORY)));
        run.produceInput();
        String denial = "TopicAuthorizationException: Not authorized to access topics: [" + run.out + "]";
        try (LogCapture logs = new LogCapture();
                RunningJob job = RunningJob.start(cluster, run.config(kafka.scram(SecuredKafka.MALLORY, secret.get("password"))))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!logs.text().contains(denial) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(logs.text()).contains(denial);
            assertThat(job.status()).isNotEqualTo(JobStatus.FINISHED);
        }
    }

    private static String jobYaml(SecuredJobs run, Map<String, Object> client) {
        return "job.name: " + run.jobName + "\n"
                + "input.topic: " + run.in + "\n"
                + "output.topic: " + run.out + "\n"
                + "dead-letter.topic: " + run.dlq + "\n"
                + "kafka.config.providers: file\n"
                + "kafka.config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider\n"
                + client.entrySet().stream()
                        .map(e -> "kafka." + e.getKey() + ": '" + e.getValue().toString().replace("'", "''") + "'")
                        .collect(Collectors.joining("\n", "", "\n"));
    }
}
