package io.github.flinksoftmax.security;

import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.SecuredKafka;
import io.github.flinksoftmax.testing.MiniClusters;

import java.nio.file.Path;
import java.util.Map;

import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real job against a broker that requires authentication, encryption and ACLs, configured
 * only through the documented {@code kafka.} pass-through, its secrets read by Kafka's config
 * providers: once as a SCRAM-SHA-512 user over SASL_SSL, password from a properties file
 * ({@code FileConfigProvider}); once as a certificate over mutual TLS, key store password from a
 * file in a secrets directory ({@code DirectoryConfigProvider}). Records in, exactly-once distributions and dead letters out.
 */
@ExtendWith(SecuredKafka.Extension.class)
class SecuredKafkaITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @Test
    void scramOverSaslSsl(SecuredKafka kafka, @InjectMiniCluster MiniCluster cluster, @TempDir Path dir) throws Exception {
        SecuredJobs run = new SecuredJobs(kafka, "scram");
        kafka.grantJob(SecuredKafka.ALICE, run.jobName, run.in, run.out, run.dlq);
        Map<String, String> secret = SecuredJobs.secretsFile(dir, Map.of("password", kafka.password(SecuredKafka.ALICE)));
        run.produceInput();
        try (RunningJob job = RunningJob.start(cluster, run.config(kafka.scram(SecuredKafka.ALICE, secret.get("password"))))) {
            run.assertOutput();
        }
    }

    @Test
    void mutualTls(SecuredKafka kafka, @InjectMiniCluster MiniCluster cluster, @TempDir Path dir) throws Exception {
        SecuredJobs run = new SecuredJobs(kafka, "mtls");
        kafka.grantJob(SecuredKafka.CLIENT, run.jobName, run.in, run.out, run.dlq);
        String secret = SecuredJobs.secretInDirectory(dir, "keystore-password", kafka.storePassword());
        run.produceInput();
        try (RunningJob job = RunningJob.start(cluster, run.config(kafka.mutualTls(secret)))) {
            run.assertOutput();
        }
    }
}
