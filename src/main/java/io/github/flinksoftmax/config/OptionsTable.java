package io.github.flinksoftmax.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.TimeUtils;

/**
 * Renders {@link SoftmaxOptions#ALL} as the Markdown table in {@code docs/configuration.md}, so
 * the table is generated from the declarations rather than kept by hand. {@code OptionsTableTest}
 * fails when they differ; {@link #main} rewrites the table in place.
 */
public final class OptionsTable {

    /** The file holding the table, relative to the project root. */
    public static final Path DOC = Path.of("docs", "configuration.md");
    public static final String START = "<!-- options:start -->\n";
    public static final String END = "<!-- options:end -->";

    private OptionsTable() {}

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | type | default | allowed | description |\n");
        sb.append("|---|---|---|---|---|\n");
        for (ConfigOption<?> o : SoftmaxOptions.ALL) {
            Allowed<?> allowed = SoftmaxOptions.allowed(o);
            sb.append("| `").append(o.key()).append("` | ")
                    .append(escape(allowed.type())).append(" | ")
                    .append(o.hasDefaultValue() ? "`" + render(o.defaultValue()) + "`" : "").append(" | ")
                    .append(escape(allowed.text())).append(" | ")
                    .append(escape(description(o))).append(" |\n");
        }
        return sb.toString();
    }

    /** The table between the markers of {@code doc}'s text, or {@code null} when a marker is missing. */
    public static String tableIn(String doc) {
        int start = doc.indexOf(START);
        int end = doc.indexOf(END);
        return start < 0 || end < start ? null : doc.substring(start + START.length(), end);
    }

    /** Descriptions are declared as plain text, so each is one text block without inline elements. */
    static String description(ConfigOption<?> option) {
        return option.description().getBlocks().stream()
                .map(block -> ((TextElement) block).getFormat())
                .collect(Collectors.joining(" "));
    }

    /** Sizes in bytes, as the job files and the error messages give them. */
    private static String render(Object value) {
        if (value instanceof Duration d) {
            return TimeUtils.formatWithHighestUnit(d);
        }
        return value instanceof MemorySize m ? Long.toString(m.getBytes()) : String.valueOf(value);
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }

    /**
     * Replaces the table in {@code docs/configuration.md} (or the file given) with the generated
     * one. Run from the project root after any {@code mvn test}, which writes the classpath file:
     * {@code java -cp "target/classes:$(cat target/flink-dist.classpath)" io.github.flinksoftmax.config.OptionsTable}.
     */
    public static void main(String[] args) throws IOException {
        Path doc = args.length > 0 ? Path.of(args[0]) : DOC;
        String text = Files.readString(doc);
        String table = tableIn(text);
        if (table == null) {
            throw new IllegalStateException(doc + " needs the markers " + START.strip() + " and " + END);
        }
        int at = text.indexOf(START) + START.length();
        Files.writeString(doc, text.substring(0, at) + markdown() + text.substring(at + table.length()));
        System.out.println("Wrote the options table to " + doc);
    }
}
