package io.github.flinksoftmax.sql;

import org.apache.flink.table.api.TableRuntimeException;

/**
 * The optional {@code temperature} argument as the kernel's {@code beta = 1 / T}. A bad
 * temperature is a mistake in the query, not in the data, so it is always an error, whatever
 * {@link OnInvalid} says.
 */
final class Temperature {

    private Temperature() {}

    /**
     * {@code 1 / temperature} as a float.
     *
     * @throws TableRuntimeException naming the function, the argument and the allowed values when
     *     the temperature is not a finite number above 0, or so small that {@code 1 / T} overflows
     */
    static float beta(String function, double temperature) {
        float beta = (float) (1.0 / temperature);
        if (!(temperature > 0) || !Double.isFinite(temperature) || !Float.isFinite(beta)) {
            throw new TableRuntimeException(String.format(
                    "%s: temperature must be a finite number > 0 (and >= 3e-39), got %s",
                    function, temperature));
        }
        return beta;
    }
}
