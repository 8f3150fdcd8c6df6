package io.github.flinksoftmax.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's option table is the one generated from the declarations, to the character. */
class OptionsTableTest {

    @Test
    void docsTableEqualsDeclarations() throws Exception {
        String table = OptionsTable.tableIn(Files.readString(OptionsTable.DOC));
        assertThat(table).as("%s must hold the markers %s and %s", OptionsTable.DOC, OptionsTable.START.strip(),
                OptionsTable.END).isNotNull();
        assertThat(table)
                .as("%s option table; regenerate it with: java -cp \"target/classes:$(cat"
                        + " target/flink-dist.classpath)\" io.github.flinksoftmax.config.OptionsTable", OptionsTable.DOC)
                .isEqualTo(OptionsTable.markdown());
    }

    @Test
    void everyDeclaredKeyIsUniqueDescribedAndConstrained() {
        assertThat(SoftmaxOptions.ALL).extracting(ConfigOption::key).doesNotHaveDuplicates();
        assertThat(SoftmaxOptions.ALL).allSatisfy(o -> {
            assertThat(OptionsTable.description(o)).as(o.key()).isNotBlank();
            assertThat(SoftmaxOptions.allowed(o).text()).as(o.key()).isNotBlank();
        });
    }
}
