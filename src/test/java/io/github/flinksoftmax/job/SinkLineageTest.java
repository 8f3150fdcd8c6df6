package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.JobConfig;

import java.util.List;
import java.util.Map;

import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.junit.jupiter.api.Test;

/**
 * Both sinks name the topic they write to Flink's lineage graph; a serializer that does not say
 * leaves the sink's lineage empty, and a lineage listener sees the job write nowhere.
 */
class SinkLineageTest {

    @Test
    void eachSinkNamesItsTopic() {
        JobConfig config = JobConfig.of(Map.of("kafka.bootstrap.servers", "localhost:9092",
                "input.topic", "logits", "output.topic", "probabilities"));
        assertThat(datasets(SoftmaxPipeline.sink(config, "probabilities", "out")))
                .extracting(LineageDataset::name).containsExactly("probabilities");
        assertThat(datasets(SoftmaxPipeline.sink(config, config.deadLetterTopic(), "dlq")))
                .extracting(LineageDataset::name).containsExactly(config.deadLetterTopic());
        assertThat(datasets(SoftmaxPipeline.sink(config, "probabilities", "out")))
                .extracting(LineageDataset::namespace).containsExactly("kafka://localhost:9092");
    }

    private static List<LineageDataset> datasets(KafkaSink<KafkaRecord> sink) {
        return sink.getLineageVertex().datasets();
    }
}
