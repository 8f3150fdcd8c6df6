package io.github.flinksoftmax;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job jar's packages depend one way, as the data flows: {@code job} wires Flink and Kafka
 * around {@code format}, {@code kernel}, {@code postprocess} and {@code config}; the kernel is plain
 * Java a benchmark or another engine can take alone; the wire formats are bytes in, bytes out, with
 * no Flink in them. {@code sql} is a second front end on the same kernel and post-processing, for
 * Flink SQL: only it touches the Table API (which the job must run without), and it knows nothing of
 * the job, its formats or its options. Only the job jar's classes are checked (not tests, the local
 * run or benchmarks).
 */
class LayeringTest {

    private static final String ROOT = "io.github.flinksoftmax";

    private static JavaClasses product;

    @BeforeAll
    static void importTheJobJarsClasses() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void theKernelUsesNothingOfFlinkKafkaOrTheRestOfTheProject() {
        noClasses().that().resideInAPackage(ROOT + ".kernel..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.flink..", "org.apache.kafka..", "com.fasterxml..",
                        ROOT + ".job..", ROOT + ".format..", ROOT + ".config..", ROOT + ".postprocess..",
                        ROOT + ".sql..")
                .check(product);
    }

    @Test
    void theSqlFunctionsUseOnlyTheKernelAndPostProcessing() {
        noClasses().that().resideInAPackage(ROOT + ".sql..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        ROOT + ".job..", ROOT + ".format..", ROOT + ".config..", "org.apache.kafka..")
                .check(product);
    }

    @Test
    void onlyTheSqlFunctionsUseTheTableApi() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".sql..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.flink.table..")
                .check(product);
    }

    @Test
    void nothingDependsOnTheSqlFunctions() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".sql..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".sql..")
                .check(product);
    }

    /** Model files are bytes to weights: the kernel's types and Jackson, nothing of Flink, Kafka or the job. */
    @Test
    void theModelReadersUseOnlyTheKernel() {
        noClasses().that().resideInAPackage(ROOT + ".model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..",
                        ROOT + ".job..", ROOT + ".format..", ROOT + ".config..", ROOT + ".postprocess..")
                .check(product);
    }

    @Test
    void theFormatsUseNoFlink() {
        noClasses().that().resideInAPackage(ROOT + ".format..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", ROOT + ".job..")
                .check(product);
    }

    private static final ArchRule ONLY_THE_JOB_WIRES_FLINK = noClasses().that().resideOutsideOfPackage(ROOT + ".job..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.apache.flink.streaming..", "org.apache.flink.connector..",
                    "org.apache.flink.api.common.functions..", "org.apache.flink.runtime..",
                    "org.apache.flink.metrics..");

    @Test
    void onlyTheJobWiresFlink() {
        ONLY_THE_JOB_WIRES_FLINK.check(product);
    }

    /** The control: over the tests too, the rule fires (the test fixtures start MiniClusters). */
    @Test
    void theRulesSeeViolationsWhereThereAreSome() {
        JavaClasses withTests = new ClassFileImporter().importPackages(ROOT + ".testing");
        assertThat(ONLY_THE_JOB_WIRES_FLINK.evaluate(withTests).hasViolation()).isTrue();
    }

    @Test
    void nothingDependsOnTheJob() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".job..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".job..")
                .check(product);
    }
}
