package io.github.flinksoftmax.job;

import java.util.List;
import java.util.Optional;

import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a {@link KafkaRecord} to one topic with its key, headers and timestamp as they are, so
 * what a consumer sees downstream keeps the identity of what came in. It names its topic to the
 * sink ({@link KafkaDatasetFacetProvider}), so Flink's lineage graph shows where the job writes.
 */
public final class KafkaRecordSerializer
        implements KafkaRecordSerializationSchema<KafkaRecord>, KafkaDatasetFacetProvider {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public KafkaRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(KafkaRecord r, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < r.headerKeys.length; i++) {
            headers.add(new RecordHeader(r.headerKeys[i], r.headerValues[i]));
        }
        Long ts = r.timestamp == Long.MIN_VALUE ? null : r.timestamp;
        return new ProducerRecord<>(topic, null, ts, r.key, r.value, headers);
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
