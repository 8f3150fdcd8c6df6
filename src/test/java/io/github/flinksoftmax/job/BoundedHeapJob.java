package io.github.flinksoftmax.job;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The real job on a local MiniCluster in a JVM of its own, for {@link LimitsITCase}: the test
 * starts it with {@code -Xmx512m}, the TaskManager heap the limits are promised for, which a
 * MiniCluster inside the test JVM could not have. Arguments are option {@code key=value} pairs.
 * The job may not restart (restart strategy {@code none}): any failure, an OutOfMemoryError
 * among them, ends it, and this process then prints {@code JOB ENDED} and exits.
 */
public final class BoundedHeapJob {

    private BoundedHeapJob() {}

    public static void main(String[] args) throws Exception {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            raw.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        JobConfig config = JobConfig.of(raw);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("16m")); // the job keeps no state
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        SoftmaxPipeline.build(env, config);
        JobClient client = env.executeAsync(config.get(SoftmaxOptions.JOB_NAME));
        System.out.println("HEAP MAX " + Runtime.getRuntime().maxMemory());
        while (client.getJobStatus().get() != JobStatus.RUNNING) {
            Thread.sleep(100);
        }
        System.out.println("JOB RUNNING");
        try {
            client.getJobExecutionResult().get();
            System.out.println("JOB ENDED without an error");
        } catch (Exception e) {
            System.out.println("JOB ENDED: " + e);
            e.printStackTrace(System.out);
        }
        System.exit(1);
    }
}
