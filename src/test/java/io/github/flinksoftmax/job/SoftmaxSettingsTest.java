package io.github.flinksoftmax.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinksoftmax.config.JobConfig;
import io.github.flinksoftmax.format.WireFormat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** The operator carries only its own settings, never the job's Kafka properties. */
class SoftmaxSettingsTest {

    @Test
    void theSerializedOperatorHoldsItsSettingsAndNoKafkaProperty() throws Exception {
        JobConfig config = JobConfig.of(Map.of(
                "kafka.bootstrap.servers", "broker:9092",
                "kafka.sasl.jaas.config", "password=\"s3cr3t-in-the-config\"",
                "input.topic", "in", "output.topic", "out",
                "format", "float32le", "float32le.classes", "3", "softmax.temperature", "2",
                "softmax.max-record-bytes", "2mb", "postprocess.top-k", "2"));
        SoftmaxSettings settings = SoftmaxSettings.of(config);
        assertThat(settings.format()).isEqualTo(WireFormat.FLOAT32LE);
        assertThat(settings.outputFormat()).as("unset: the input's").isEqualTo(WireFormat.FLOAT32LE);
        assertThat(settings.formatSettings()).isSameAs(config.formatSettings());
        assertThat(settings.formatSettings().float32leClasses()).isEqualTo(3);
        assertThat(settings.beta()).isEqualTo(0.5f);
        assertThat(settings.maxRecordBytes()).isEqualTo(2 << 20);
        assertThat(settings.extras().topK()).isEqualTo(2);

        byte[] operator = InstantiationUtil.serializeObject(new SoftmaxFunction(settings));
        assertThat(new String(operator, StandardCharsets.ISO_8859_1))
                .doesNotContain("s3cr3t-in-the-config").doesNotContain("broker:9092");
        SoftmaxFunction back = InstantiationUtil.deserializeObject(operator, getClass().getClassLoader());
        assertThat(back).isNotNull();
    }
}
