package io.github.flinksoftmax.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built job jar holds the job and what it must bring to a stock Flink cluster, nothing else:
 * the project's product packages (the job, and the SQL functions on the same kernel), the Kafka
 * connector and its clients. No local-run or benchmark
 * classes (dev tools), no Flink classes beyond the connector's own (flink-dist has them, and a
 * second copy in the user class loader is a class-loading conflict waiting to happen), no logging
 * implementation.
 */
class JobJarIT {

    private static final Set<String> PRODUCT_PACKAGES = Set.of("kernel", "format", "config", "job", "postprocess", "model", "sql", "shaded");

    private static List<String> entries;

    @BeforeAll
    static void open() throws Exception {
        Path jar = Path.of(System.getProperty("job.jar"));
        assertThat(jar).as("the packaged job jar").isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).toList();
        }
    }

    @Test
    void holdsTheJob() {
        assertThat(entries).contains(
                "io/github/flinksoftmax/job/SoftmaxJob.class",
                "io/github/flinksoftmax/kernel/VectorSoftmaxKernel.class",
                "io/github/flinksoftmax/sql/SoftmaxSqlFunction.class",
                "io/github/flinksoftmax/sql/SoftmaxModuleFactory.class",
                "org/apache/flink/connector/kafka/source/KafkaSource.class",
                "org/apache/kafka/clients/producer/KafkaProducer.class");
    }

    /** LOAD MODULE finds the module through the services file, merged with the connector's table factories. */
    @Test
    void registersTheModuleBesideTheConnectorsTableFactories() throws Exception {
        try (JarFile file = new JarFile(Path.of(System.getProperty("job.jar")).toFile())) {
            ZipEntry services = file.getEntry("META-INF/services/org.apache.flink.table.factories.Factory");
            assertThat(services).isNotNull();
            String text = new String(file.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).contains("io.github.flinksoftmax.sql.SoftmaxModuleFactory",
                    "org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicTableFactory");
        }
    }

    @Test
    void holdsNoDevToolsOrTestCode() {
        List<String> foreign = entries.stream()
                .filter(e -> e.startsWith("io/github/flinksoftmax/"))
                .filter(e -> !PRODUCT_PACKAGES.contains(e.split("/")[3]))
                .toList();
        assertThat(foreign).as("classes outside the product packages %s", PRODUCT_PACKAGES).isEmpty();
        assertThat(entries).noneMatch(e -> e.startsWith("org/openjdk/jmh/") || e.startsWith("org/junit/")
                || (e.startsWith("kafka/") && e.endsWith(".class")) // the broker; kafka-clients has a kafka/ properties file
                || e.startsWith("org/apache/kafka/common/test/"));
    }

    @Test
    void holdsNoFlinkClassThatIsNotTheConnectors() throws Exception {
        Set<String> connector;
        Path connectorJar = Path.of(KafkaSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(connectorJar.toFile())) {
            connector = file.stream().map(ZipEntry::getName).collect(Collectors.toSet());
        }
        List<String> flink = entries.stream()
                .filter(e -> e.startsWith("org/apache/flink/") && e.endsWith(".class"))
                .filter(e -> !connector.contains(e))
                .toList();
        assertThat(flink).as("Flink classes that flink-dist provides (e.g. flink-connector-base)").isEmpty();
    }

    @Test
    void holdsNoLoggingImplementation() {
        assertThat(entries).noneMatch(e -> e.startsWith("org/slf4j/") || e.startsWith("org/apache/logging/")
                || e.startsWith("ch/qos/logback/"));
        assertThat(Collections.frequency(entries, "META-INF/MANIFEST.MF")).isOne();
    }
}
