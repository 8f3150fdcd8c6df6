package io.github.flinksoftmax.local;

import io.github.flinksoftmax.config.ConfigLoader;
import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo's topic set-up and sample producer on their own, for a job that runs on a real cluster
 * (docker-compose's {@code client} and {@code producer} services):
 * {@code java -cp flink-softmax.jar io.github.flinksoftmax.local.DemoFeed --job jobs/demo.yaml
 * [--set key=value ...] [--topics-only] [--rate N]}. It creates the job's missing topics and, unless
 * {@code --topics-only}, writes {@link SampleRecords} in the job's format to the input topic until stopped.
 */
public final class DemoFeed {

    private DemoFeed() {}

    public static void main(String[] argv) throws Exception {
        boolean topicsOnly = false;
        int rate = 50;
        List<String> jobArgs = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--topics-only" -> topicsOnly = true;
                case "--rate" -> rate = Integer.parseInt(argv[++i]);
                default -> jobArgs.add(argv[i]);
            }
        }
        JobConfig config = ConfigLoader.fromArgs(jobArgs.toArray(new String[0]));
        KafkaClients clients = new KafkaClients(config);
        String input = config.get(SoftmaxOptions.INPUT_TOPIC);
        int created = clients.createMissing(
                List.of(input, config.get(SoftmaxOptions.OUTPUT_TOPIC), config.deadLetterTopic()), 2);
        System.out.printf("topics of %s ready (%d created)%n", config.get(SoftmaxOptions.JOB_NAME), created);
        if (topicsOnly) {
            return;
        }
        try (SampleProducer producer = new SampleProducer(clients.producer(), input, SampleRecords.forJob(config), rate, 0)) {
            producer.start();
            System.out.printf("writing %d sample records/s to %s; stop with Ctrl-C%n", rate, input);
            while (producer.failure() == null) {
                Thread.sleep(10_000);
                System.out.printf("%d records written%n", producer.produced());
            }
            throw producer.failure();
        }
    }
}
