package io.github.flinksoftmax.job;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.config.SoftmaxOptions;

import java.util.Arrays;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The benchmark's baseline: the softmax job's shape with the softmax taken out. The same Kafka
 * source, the same two sinks with the same delivery guarantee, checkpointing and object reuse
 * ({@link SoftmaxPipeline#source}, {@link SoftmaxPipeline#sink}), and one chained operator that
 * copies the value bytes into a new output record without decoding them. What the softmax job
 * costs beyond this is decoding, the kernel and encoding. Lives beside the benchmarks (in the
 * {@code job} package for the pipeline's package-private parts), never in the job jar.
 */
public final class PassThroughPipeline {

    private PassThroughPipeline() {}

    /** Adds the pass-through job to {@code env}, configured like {@link SoftmaxPipeline#build}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        env.enableCheckpointing(config.get(SoftmaxOptions.CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
        int parallelism = config.get(SoftmaxOptions.PARALLELISM);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        env.getConfig().enableObjectReuse();
        SingleOutputStreamOperator<KafkaRecord> copies = env
                .fromSource(SoftmaxPipeline.source(config), WatermarkStrategy.noWatermarks(),
                        "Kafka source: " + config.get(SoftmaxOptions.INPUT_TOPIC))
                .uid(SoftmaxPipeline.SOURCE_UID)
                .process(new CopyFunction())
                .name("Copy")
                .uid(SoftmaxPipeline.SOFTMAX_UID);
        copies.sinkTo(SoftmaxPipeline.sink(config, config.get(SoftmaxOptions.OUTPUT_TOPIC), "out"))
                .name("Kafka sink: " + config.get(SoftmaxOptions.OUTPUT_TOPIC))
                .uid(SoftmaxPipeline.OUTPUT_SINK_UID);
        // never written to, but present so the job has the softmax job's two sinks and their transactions
        copies.getSideOutput(SoftmaxFunction.DEAD_LETTERS)
                .sinkTo(SoftmaxPipeline.sink(config, config.deadLetterTopic(), "dlq"))
                .name("Kafka sink: " + config.deadLetterTopic())
                .uid(SoftmaxPipeline.DEAD_LETTER_SINK_UID);
    }

    /** Copies each record's value into a new output record, as the softmax operator builds its output. */
    static final class CopyFunction extends ProcessFunction<KafkaRecord, KafkaRecord> {

        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(KafkaRecord in, Context ctx, Collector<KafkaRecord> out) {
            KafkaRecord result = new KafkaRecord();
            result.key = in.key;
            result.timestamp = in.timestamp;
            result.headerKeys = in.headerKeys;
            result.headerValues = in.headerValues;
            result.value = Arrays.copyOf(in.value, in.value.length);
            out.collect(result);
        }
    }
}
