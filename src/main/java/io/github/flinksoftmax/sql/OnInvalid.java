package io.github.flinksoftmax.sql;

import java.util.Locale;
import org.apache.flink.table.api.TableRuntimeException;

/**
 * What the SQL functions do with a row the job would dead-letter (a NULL element, NaN,
 * {@code +Infinity}, an empty or entirely masked array): return SQL {@code NULL}, so one bad row
 * does not stop a query, or fail the query with a message naming the function and the defect.
 * Chosen once per function instance: the module option {@value #MODULE_OPTION}, else the job
 * parameter {@value #JOB_PARAMETER}, else {@code null}.
 */
public enum OnInvalid {
    /** The function returns SQL {@code NULL} for the row. */
    NULL,
    /** The function throws, which fails the query (or restarts the job, as any failing UDF does). */
    ERROR;

    /** The key in {@code LOAD MODULE softmax WITH ('on-invalid' = ...)}. */
    public static final String MODULE_OPTION = "on-invalid";

    /** The key in {@code pipeline.global-job-parameters}, for functions created with {@code CREATE FUNCTION}. */
    public static final String JOB_PARAMETER = "softmax.sql.on-invalid";

    /**
     * Parses {@code null} or {@code error}, case-insensitively.
     *
     * @param key the option the value came from, for the message
     * @throws IllegalArgumentException naming the key and the allowed values
     */
    public static OnInvalid parse(String value, String key) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "null" -> NULL;
            case "error" -> ERROR;
            default -> throw new IllegalArgumentException(String.format(
                    "%s must be 'null' or 'error', got '%s'", key, value));
        };
    }

    /**
     * The result for an invalid row: {@code null}, or a {@link TableRuntimeException} saying
     * which function got what.
     */
    <T> T reject(String function, String defect) {
        if (this == NULL) {
            return null;
        }
        throw new TableRuntimeException(String.format(
                "%s: the array %s (%s = error; set it to null to get NULL for such rows)",
                function, defect, MODULE_OPTION));
    }
}
