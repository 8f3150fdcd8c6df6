package io.github.flinksoftmax.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in the benchmark's JVM (one TaskManager, {@code slots} slots), to which
 * jobs are submitted through its REST API as {@code flink run} would. In this JVM so that the
 * JVM's CPU time is Flink's (the benchmark's own reader thread is subtracted), and kept for all
 * runs so JIT-compiled Flink and Kafka code carries over from the warm-up to the measured runs.
 */
final class BenchCluster implements AutoCloseable {

    private final MiniCluster cluster;
    private final URI rest;

    private BenchCluster(MiniCluster cluster, URI rest) {
        this.cluster = cluster;
        this.rest = rest;
    }

    static BenchCluster start(int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, slots);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        return new BenchCluster(cluster, cluster.getRestAddress().get(30, TimeUnit.SECONDS));
    }

    /** Builds a job with {@code pipeline} and submits it; returns once it is submitted. */
    JobClient submit(String name, Consumer<StreamExecutionEnvironment> pipeline) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(
                rest.getHost(), rest.getPort(), new Configuration());
        pipeline.accept(env);
        return env.executeAsync(name);
    }

    /** Cancels the job and waits until it has ended, so its transactions are aborted and its slots free. */
    static void cancel(JobClient job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
            job.cancel().get(timeout.toSeconds(), TimeUnit.SECONDS);
        }
        while (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job.getJobID() + " did not end within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.closeAsync().get(60, TimeUnit.SECONDS);
    }
}
