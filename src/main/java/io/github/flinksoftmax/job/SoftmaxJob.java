package io.github.flinksoftmax.job;

import io.github.flinksoftmax.config.ConfigException;
import io.github.flinksoftmax.config.ConfigLoader;
import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the job jar: {@code flink run flink-softmax.jar --job jobs/x.yaml [--set k=v]}.
 * Configuration is parsed and validated here, on the client, and the job's Kafka principals are
 * checked for the permissions the job needs ({@link KafkaPreflight}), so a bad job file or a
 * missing ACL fails before anything is submitted.
 */
public final class SoftmaxJob {

    private static final Logger LOG = LoggerFactory.getLogger(SoftmaxJob.class);

    private SoftmaxJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config;
        try {
            config = ConfigLoader.fromArgs(args);
            KafkaPreflight.check(config);
        } catch (ConfigException e) {
            System.err.println("flink-softmax: " + e.getMessage());
            throw e;
        }
        LOG.info("Starting {} with {}", config.get(SoftmaxOptions.JOB_NAME), config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SoftmaxPipeline.build(env, config);
        env.execute(config.get(SoftmaxOptions.JOB_NAME));
    }
}
