package io.github.flinksoftmax.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinksoftmax.config.ConfigException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LocalRunArgsTest {

    @Test
    void defaultsRunTheDemoOnTheUsualPortsUntilStopped() {
        LocalRunArgs args = LocalRunArgs.parse();
        assertThat(args.jobArgs()).containsExactly("--job", "jobs/demo.yaml");
        assertThat(args.bootstrapServers()).isNull();
        assertThat(args.records()).isZero();
        assertThat(args.kafkaPort()).isEqualTo(9092);
        assertThat(args.webPort()).isEqualTo(8081);
        assertThat(args.rate()).isEqualTo(200);
    }

    @Test
    void jobAndSetArgumentsPassThroughInOrder() {
        LocalRunArgs args = LocalRunArgs.parse("--set", "a=1", "--records", "500", "--job", "jobs/x.yaml", "--set", "b=2");
        assertThat(args.jobArgs()).containsExactly("--set", "a=1", "--job", "jobs/x.yaml", "--set", "b=2");
        assertThat(args.records()).isEqualTo(500);
    }

    @Test
    void theLocalBrokerIsUsedUnlessAClusterIsNamed() {
        Map<String, Object> local = LocalRun.rawConfig(LocalRunArgs.parse("--kafka-port", "19092"));
        assertThat(local).containsEntry("kafka.bootstrap.servers", "localhost:19092");
        Map<String, Object> named = LocalRun.rawConfig(LocalRunArgs.parse("--bootstrap-servers", "kafka:9093",
                "--set", "kafka.security.protocol=SASL_SSL"));
        assertThat(named).containsEntry("kafka.bootstrap.servers", "kafka:9093")
                .containsEntry("kafka.security.protocol", "SASL_SSL");
        Map<String, Object> set = LocalRun.rawConfig(LocalRunArgs.parse("--set", "kafka.bootstrap.servers=k:1"));
        assertThat(set).containsEntry("kafka.bootstrap.servers", "k:1");
    }

    @Test
    void badArgumentsNameTheFlagAndWhatIsAllowed() {
        assertThatThrownBy(() -> LocalRunArgs.parse("--records", "many")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'many' for --records").hasMessageContaining("allowed: an integer from 1");
        assertThatThrownBy(() -> LocalRunArgs.parse("--web-port", "70000")).hasMessageContaining("to 65535");
        assertThatThrownBy(() -> LocalRunArgs.parse("--recrods", "5")).hasMessageContaining("Unknown argument '--recrods'")
                .hasMessageContaining("usage:");
        assertThatThrownBy(() -> LocalRunArgs.parse("--job")).hasMessageContaining("--job needs a value");
        assertThat(List.of(LocalRunArgs.USAGE.split("\n"))).anyMatch(l -> l.contains("--bootstrap-servers"));
    }
}
