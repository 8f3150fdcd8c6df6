package io.github.flinksoftmax.bench;

import io.github.flinksoftmax.job.BenchClientDefaults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The benchmark's Kafka Streams reference: the application a user would write instead of the
 * job, {@code stream(input).mapValues(softmax).to(output)} with {@link UserSoftmax}, in this JVM
 * (so its CPU is measured as the job's is), one stream thread per input partition as the job has
 * one subtask per partition, and the job's client settings ({@link BenchClientDefaults})
 * so the comparison is of the processing, not of client tuning.
 * At-least-once keeps Streams' 30 s commit interval; exactly-once ({@code exactly_once_v2})
 * keeps its 100 ms, which is also how often its output becomes visible.
 */
final class StreamsReference implements AutoCloseable {

    private final KafkaStreams streams;

    private StreamsReference(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Starts the app as {@code appId} (also its consumer group), reading {@code input} from its start. */
    static StreamsReference start(String bootstrap, String appId, String input, String output, String format,
            boolean exactlyOnce, int threads, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .mapValues(v -> UserSoftmax.apply(format, v))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), BenchClientDefaults.BATCH_BYTES);
        // Streams' own producer default is 100 ms; the job's is 5 ms
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), BenchClientDefaults.LINGER_MS);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 64L << 20);
        KafkaStreams streams = new KafkaStreams(builder.build(), p);
        streams.start();
        return new StreamsReference(streams);
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(60));
        streams.cleanUp(); // its per-run state directory; nothing is kept between runs
    }
}
