package io.github.flinksoftmax.local;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;
import io.github.flinksoftmax.job.SoftmaxPipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink session cluster inside this JVM (a {@link MiniCluster} with the web UI and REST API on
 * a fixed port) and the job running on it. The job is built by {@link SoftmaxPipeline#build},
 * exactly as {@code SoftmaxJob} builds it, and submitted through the REST API as
 * {@code flink run} would submit it. Owning the cluster, rather than letting a local environment
 * start one per job, is what lets {@link #close()} wait until its ports and files are released.
 */
final class LocalFlink implements AutoCloseable {

    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final MiniCluster cluster;
    private final int webPort;
    private JobClient job;

    private LocalFlink(MiniCluster cluster, int webPort) {
        this.cluster = cluster;
        this.webPort = webPort;
    }

    /**
     * Starts the cluster with {@code slots} task slots; its working files (blobs, spill files,
     * web uploads) go under {@code dir}, which the caller deletes.
     */
    static LocalFlink start(int webPort, int slots, Path dir) throws Exception {
        Ports.requireFree(webPort, "Flink web UI", "is another Flink running? Choose another with --web-port");
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(RestOptions.PORT, webPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, slots);
        conf.set(CoreOptions.TMP_DIRS, dir.resolve("io").toString());
        conf.set(BlobServerOptions.STORAGE_DIRECTORY, dir.resolve("blobs").toString());
        conf.set(WebOptions.TMP_DIR, dir.resolve("web").toString());
        // the web UI's metrics (and the kernel shown on the console) refresh every 2 s, not 10
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(2));
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        return new LocalFlink(cluster, webPort);
    }

    /** Submits the job and returns once all its tasks run. */
    JobID submit(JobConfig config, int defaultParallelism, Duration timeout) throws Exception {
        Configuration client = new Configuration();
        client.set(CoreOptions.DEFAULT_PARALLELISM, defaultParallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment("localhost", webPort, client);
        SoftmaxPipeline.build(env, config);
        job = env.executeAsync(config.get(SoftmaxOptions.JOB_NAME));
        long deadline = System.nanoTime() + timeout.toNanos();
        FlinkRest rest = rest();
        while (!rest.allTasksRunning(job.getJobID())) {
            JobStatus status = status();
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("The job ended while starting: " + status + "; see the log");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The job's tasks were not all running after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
        return job.getJobID();
    }

    JobStatus status() throws InterruptedException, ExecutionException, TimeoutException {
        return job.getJobStatus().get(10, TimeUnit.SECONDS);
    }

    FlinkRest rest() {
        return new FlinkRest(webPort);
    }

    /** Cancels the job (its open Kafka transactions abort), then stops the cluster and waits for it. */
    @Override
    public void close() throws ExecutionException, TimeoutException {
        try {
            if (job != null && !status().isGloballyTerminalState()) {
                job.cancel().get(CANCEL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                long deadline = System.nanoTime() + CANCEL_TIMEOUT.toNanos();
                while (!status().isGloballyTerminalState() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeCluster();
        }
    }

    private void closeCluster() throws ExecutionException, TimeoutException {
        try {
            cluster.closeAsync().get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
