package io.github.flinksoftmax.job;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Copies a consumer record into a {@link KafkaRecord} without looking at its bytes. It cannot
 * fail on content, which is the point: decoding happens in the operator, where a bad record can
 * be dead-lettered instead of failing the source and restarting the job.
 */
public final class KafkaRecordDeserializer implements KafkaRecordDeserializationSchema<KafkaRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out) {
        KafkaRecord r = new KafkaRecord();
        r.key = record.key();
        r.value = record.value();
        Header[] headers = record.headers().toArray();
        r.headerKeys = new String[headers.length];
        r.headerValues = new byte[headers.length][];
        for (int i = 0; i < headers.length; i++) {
            r.headerKeys[i] = headers[i].key();
            r.headerValues[i] = headers[i].value();
        }
        r.timestamp = record.timestamp() == RecordBatch.NO_TIMESTAMP ? Long.MIN_VALUE : record.timestamp();
        r.topic = record.topic();
        r.partition = record.partition();
        r.offset = record.offset();
        out.collect(r);
    }

    @Override
    public TypeInformation<KafkaRecord> getProducedType() {
        return TypeInformation.of(KafkaRecord.class);
    }
}
