package io.github.flinksoftmax.config;

/**
 * Renders {@link SoftmaxOptions#ALL} as the Markdown table the README carries, so the table is
 * generated from the declarations rather than kept by hand ({@code OptionsTableTest} fails when
 * they differ; run this class's {@code main} to print the current table).
 */
public final class OptionsTable {

    private OptionsTable() {}

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | default | allowed | description |\n");
        sb.append("|---|---|---|---|\n");
        for (Option<?> o : SoftmaxOptions.ALL) {
            Object def = o.defaultValue();
            sb.append("| `").append(o.key()).append("` | ")
                    .append(def == null ? "" : "`" + format(def) + "`").append(" | ")
                    .append(escape(o.allowed())).append(" | ")
                    .append(escape(o.description())).append(" |\n");
        }
        return sb.toString();
    }

    private static String format(Object value) {
        if (value instanceof java.time.Duration d) {
            long ms = d.toMillis();
            return ms % 60_000 == 0 ? ms / 60_000 + "min" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
        return String.valueOf(value);
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
