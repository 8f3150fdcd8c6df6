package io.github.flinksoftmax.job;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;

import java.util.Properties;
import java.util.function.UnaryOperator;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Wires the job: Kafka source, the softmax operator, and two Kafka sinks (distributions and dead
 * letters) with the configured delivery guarantee. {@code main} and the tests call the same
 * {@link #build} method. Operator uids are part of the savepoint contract: renaming one
 * orphans its state on upgrade, so they are constants here.
 */
public final class SoftmaxPipeline {

    public static final String SOURCE_UID = "kafka-source";
    public static final String SOFTMAX_UID = "softmax";
    /**
     * The operator's uid when it scores with a linear model ({@code model.file}): another operator
     * than the softmax-only one, so neither job's savepoint is restored into the other's.
     */
    public static final String MODEL_UID = "logistic-regression";
    /** The source of {@code model.topic}. */
    public static final String MODEL_SOURCE_UID = "kafka-source-models";
    public static final String OUTPUT_SINK_UID = "kafka-sink-output";
    public static final String DEAD_LETTER_SINK_UID = "kafka-sink-dead-letter";

    private SoftmaxPipeline() {}

    /** Adds the whole job to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, UnaryOperator.identity());
    }

    /**
     * Adds the whole job to {@code env}, passing the source stream through {@code beforeSoftmax}
     * first: tests insert a fault there.
     */
    public static void build(StreamExecutionEnvironment env, JobConfig config,
            UnaryOperator<DataStream<KafkaRecord>> beforeSoftmax) {
        configure(env, config);
        DataStream<KafkaRecord> input = env
                .fromSource(source(config), WatermarkStrategy.noWatermarks(), "Kafka source: " + config.get(SoftmaxOptions.INPUT_TOPIC))
                .uid(SOURCE_UID);
        SingleOutputStreamOperator<KafkaRecord> distributions;
        if (config.isSet(SoftmaxOptions.MODEL_TOPIC)) {
            // one reader is enough for a topic of a few models; broadcast hands each model to every subtask
            BroadcastStream<KafkaRecord> models = env
                    .fromSource(modelSource(config), WatermarkStrategy.noWatermarks(),
                            "Kafka source: " + config.get(SoftmaxOptions.MODEL_TOPIC))
                    .uid(MODEL_SOURCE_UID)
                    .setParallelism(1)
                    .broadcast(ModelBroadcastFunction.STATE);
            distributions = beforeSoftmax.apply(input)
                    .connect(models)
                    .process(new ModelBroadcastFunction(SoftmaxSettings.of(config)))
                    .name("Softmax: logistic regression")
                    .uid(MODEL_UID);
        } else {
            distributions = beforeSoftmax.apply(input)
                    .process(new SoftmaxFunction(SoftmaxSettings.of(config)))
                    .name(config.model() == null ? "Softmax" : "Softmax: logistic regression")
                    .uid(config.model() == null ? SOFTMAX_UID : MODEL_UID);
        }
        distributions
                .sinkTo(sink(config, config.get(SoftmaxOptions.OUTPUT_TOPIC), "out"))
                .name("Kafka sink: " + config.get(SoftmaxOptions.OUTPUT_TOPIC))
                .uid(OUTPUT_SINK_UID);
        distributions.getSideOutput(SoftmaxFunction.DEAD_LETTERS)
                .sinkTo(sink(config, config.deadLetterTopic(), "dlq"))
                .name("Kafka sink: " + config.deadLetterTopic())
                .uid(DEAD_LETTER_SINK_UID);
    }

    private static void configure(StreamExecutionEnvironment env, JobConfig config) {
        // checkpoints carry the source offsets in both modes; exactly-once also commits the sinks' transactions on them
        env.enableCheckpointing(config.get(SoftmaxOptions.CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
        int parallelism = config.get(SoftmaxOptions.PARALLELISM);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        env.getConfig().enableObjectReuse();
    }

    static KafkaSource<KafkaRecord> source(JobConfig config) {
        Properties props = KafkaClientDefaults.consumer(config);
        return KafkaSource.<KafkaRecord>builder()
                .setProperties(props)
                .setTopics(config.get(SoftmaxOptions.INPUT_TOPIC))
                .setGroupId(config.groupId())
                .setStartingOffsets(startingOffsets(config.get(SoftmaxOptions.INPUT_STARTING_OFFSETS)))
                .setDeserializer(new KafkaRecordDeserializer())
                .build();
    }

    /** The model topic from its start: it is compacted, so its start holds the latest model per key. */
    static KafkaSource<KafkaRecord> modelSource(JobConfig config) {
        return KafkaSource.<KafkaRecord>builder()
                .setProperties(KafkaClientDefaults.consumer(config))
                .setTopics(config.get(SoftmaxOptions.MODEL_TOPIC))
                .setGroupId(config.groupId() + "-models")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new KafkaRecordDeserializer())
                .build();
    }

    private static OffsetsInitializer startingOffsets(SoftmaxOptions.StartingOffsets choice) {
        return switch (choice) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    private static TransactionNamingStrategy transactionNaming(SoftmaxOptions.TransactionNaming choice) {
        return switch (choice) {
            case POOLING -> TransactionNamingStrategy.POOLING;
            case INCREMENTING -> TransactionNamingStrategy.INCREMENTING;
        };
    }

    static KafkaSink<KafkaRecord> sink(JobConfig config, String topic, String idSuffix) {
        Properties props = KafkaClientDefaults.producer(config);
        return KafkaSink.<KafkaRecord>builder()
                .setKafkaProducerConfig(props)
                .setBootstrapServers(props.getProperty("bootstrap.servers"))
                .setRecordSerializer(new KafkaRecordSerializer(topic))
                .setDeliveryGuarantee(config.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                // two sinks in one job need distinct prefixes, or their transactions fence each other
                .setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + idSuffix)
                .setTransactionNamingStrategy(transactionNaming(config.get(SoftmaxOptions.DELIVERY_TRANSACTION_NAMING)))
                .build();
    }
}
