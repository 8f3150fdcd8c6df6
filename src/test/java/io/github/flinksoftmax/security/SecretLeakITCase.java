package io.github.flinksoftmax.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.job.SoftmaxPipeline;
import io.github.flinksoftmax.testing.LogCapture;
import io.github.flinksoftmax.testing.RunningJob;
import io.github.flinksoftmax.testing.SecuredKafka;
import io.github.flinksoftmax.testing.MiniClusters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The password and the key-store password never show where users and operators look: the
 * logs (Flink's and the Kafka clients' INFO lines, captured while the job runs and processes
 * records) and the job and cluster configuration in Flink's REST API. The job gets its secrets as
 * {@code ${file:...}} references through the {@code kafka.} pass-through. A control run proves
 * the scan finds a password that is there: the same secret given in plain {@code --set} and put
 * where a common job idiom puts its arguments (global job parameters, a log line).
 */
@ExtendWith(SecuredKafka.Extension.class)
class SecretLeakITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @Test
    void secretsFromAFileShowNowhere(SecuredKafka kafka, @InjectMiniCluster MiniCluster cluster, @TempDir Path dir) throws Exception {
        String password = kafka.password(SecuredKafka.ALICE);
        String storePassword = kafka.storePassword();
        SecuredJobs run = new SecuredJobs(kafka, "leak");
        kafka.grantJob(SecuredKafka.ALICE, run.jobName, run.in, run.out, run.dlq);
        Map<String, String> refs = SecuredJobs.secretsFile(dir, Map.of("password", password, "store", storePassword));
        Map<String, Object> client = new HashMap<>(kafka.scram(SecuredKafka.ALICE, refs.get("password")));
        client.put("ssl.truststore.password", refs.get("store"));
        run.produceInput();

        SecretScan scan;
        try (LogCapture logs = new LogCapture();
                RunningJob job = RunningJob.start(cluster, run.config(client))) {
            run.assertOutput();
            scan = SecretScan.of(logs.text(), cluster, job.client().getJobID());
        }

        // the scan saw the Kafka clients print their configuration, secrets masked
        assertThat(scan.text("captured logs")).contains("sasl.jaas.config = [hidden]");
        assertThat(scan.find(password, storePassword)).isEmpty();
    }

    @Test
    void controlTheScanFindsAPasswordGivenInPlainSight(SecuredKafka kafka, @InjectMiniCluster MiniCluster cluster) throws Exception {
        String password = kafka.password(SecuredKafka.ALICE);
        SecuredJobs run = new SecuredJobs(kafka, "control");
        String jaas = (String) kafka.scram(SecuredKafka.ALICE, password).get("sasl.jaas.config");
        String[] args = {"--set", "kafka.sasl.jaas.config=" + jaas};

        SecretScan scan;
        String jobId;
        try (LogCapture logs = new LogCapture()) {
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            JobConfig config = run.config(kafka.scram(SecuredKafka.ALICE, password));
            SoftmaxPipeline.build(env, config);
            // what a job built on ParameterTool.fromArgs(args) does. Flink's REST API hides values
            // whose key looks secret (password, jaas.config...), but here the key is "set"
            env.getConfig().setGlobalJobParameters(ParameterTool.fromArgs(args));
            LoggerFactory.getLogger(SecretLeakITCase.class).info("Starting with arguments {}", String.join(" ", args));
            JobClient job = env.executeAsync(run.jobName);
            jobId = job.getJobID().toString();
            try {
                // until the job runs, its REST config comes from a placeholder without the user config
                awaitRunning(job);
                scan = SecretScan.of(logs.text(), cluster, job.getJobID());
            } finally {
                job.cancel().get();
            }
        }

        assertThat(scan.find(password)).contains("captured logs", "REST /jobs/" + jobId + "/config");
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the control job did not start running within 60 s");
            }
            Thread.sleep(100);
        }
    }
}
