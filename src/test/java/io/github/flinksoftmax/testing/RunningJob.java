package io.github.flinksoftmax.testing;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.job.KafkaRecord;
import io.github.flinksoftmax.job.SoftmaxPipeline;

import java.time.Duration;
import java.util.function.UnaryOperator;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The real job, built by {@link SoftmaxPipeline#build}, running on the test's MiniCluster until
 * the test closes it. It refuses Kryo ({@code pipeline.generic-types: false}) so a record type
 * that would silently fall back to it fails the test instead.
 */
public final class RunningJob implements AutoCloseable {

    private final MiniCluster cluster;
    private final JobClient client;

    private RunningJob(MiniCluster cluster, JobClient client) {
        this.cluster = cluster;
        this.client = client;
    }

    public static RunningJob start(MiniCluster cluster, JobConfig config) throws Exception {
        return start(cluster, config, UnaryOperator.identity());
    }

    public static RunningJob start(MiniCluster cluster, JobConfig config,
            UnaryOperator<DataStream<KafkaRecord>> beforeSoftmax) throws Exception {
        return start(cluster, config, beforeSoftmax, new Configuration());
    }

    /** The job restored from a savepoint (or retained checkpoint) at {@code savepointPath}, as {@code flink run -s} does. */
    public static RunningJob restore(MiniCluster cluster, JobConfig config, String savepointPath) throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepointPath);
        return start(cluster, config, UnaryOperator.identity(), conf);
    }

    private static RunningJob start(MiniCluster cluster, JobConfig config,
            UnaryOperator<DataStream<KafkaRecord>> beforeSoftmax, Configuration conf) throws Exception {
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SoftmaxPipeline.build(env, config, beforeSoftmax);
        JobClient client = env.executeAsync(config.get(io.github.flinksoftmax.config.SoftmaxOptions.JOB_NAME));
        RunningJob job = new RunningJob(cluster, client);
        job.awaitRunning(Duration.ofSeconds(60));
        return job;
    }

    private void awaitRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobStatus status = client.getJobStatus().get();
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isGloballyTerminalState()) {
                throw new AssertionError("job ended before running: " + status);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job not running after " + timeout);
    }

    public JobClient client() {
        return client;
    }

    /** How often any task of the job was restarted: the largest attempt number over all subtasks. */
    public int restarts() throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(client.getJobID()).get();
        int max = 0;
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            max = Math.max(max, v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return max;
    }

    /**
     * How many parallel subtasks (execution vertices) run a later attempt than their first: all of
     * them after a full restart, only the failed pipeline's after a region restart.
     */
    public int restartedSubtasks() throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(client.getJobID()).get();
        int restarted = 0;
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            if (v.getCurrentExecutionAttempt().getAttemptNumber() > 0) {
                restarted++;
            }
        }
        return restarted;
    }

    /**
     * Waits until {@code more} checkpoints have completed after this call: with exactly-once, all
     * output written before the call is committed by then, and so is anything a test waits to see
     * arrive late (a duplicate, say).
     */
    public void awaitCompletedCheckpoints(int more, Duration timeout) throws Exception {
        long target = completedCheckpoints() + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completedCheckpoints() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(more + " more checkpoints did not complete within " + timeout
                        + " (completed: " + completedCheckpoints() + ")");
            }
            Thread.sleep(50);
        }
    }

    /** How many checkpoints of the job have completed so far. */
    public long completedCheckpoints() throws Exception {
        var stats = cluster.getExecutionGraph(client.getJobID()).get().getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    /** {@code flink stop}: a final canonical savepoint in {@code directory}, then the job stops; returns its path. */
    public String stopWithSavepoint(java.nio.file.Path directory) throws Exception {
        return client.stopWithSavepoint(false, directory.toUri().toString(), SavepointFormatType.CANONICAL).get();
    }

    public JobStatus status() throws Exception {
        return client.getJobStatus().get();
    }

    @Override
    public void close() throws Exception {
        if (!client.getJobStatus().get().isGloballyTerminalState()) {
            client.cancel().get();
        }
    }
}
