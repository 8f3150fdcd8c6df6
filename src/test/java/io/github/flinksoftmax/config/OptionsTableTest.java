package io.github.flinksoftmax.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The README's option table is the one generated from the declarations, to the character. */
class OptionsTableTest {

    @Test
    void readmeTableEqualsDeclarations() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String start = "<!-- options:start -->\n";
        String end = "<!-- options:end -->";
        assertThat(readme).contains(start).contains(end);
        String table = readme.substring(readme.indexOf(start) + start.length(), readme.indexOf(end));
        assertThat(table)
                .as("README option table; regenerate with: java -cp target/classes:... io.github.flinksoftmax.config.OptionsTable")
                .isEqualTo(OptionsTable.markdown());
    }

    @Test
    void everyDeclaredKeyIsUniqueAndDescribed() {
        assertThat(SoftmaxOptions.ALL).extracting(Option::key).doesNotHaveDuplicates();
        assertThat(SoftmaxOptions.ALL).allSatisfy(o -> {
            assertThat(o.description()).isNotBlank();
            assertThat(o.allowed()).isNotBlank();
        });
    }
}
