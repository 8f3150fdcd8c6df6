package io.github.flinksoftmax.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FloatDigitsTest {

    private final FloatDigits digits = new FloatDigits();
    private final char[] buf = new char[FloatDigits.MAX_LENGTH];

    private String format(float f) {
        return new String(buf, 0, digits.write(f, buf, 0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0.1            | 0.1
            1              | 1.0
            -2.5           | -2.5
            0.001          | 0.001
            9.999999E-4    | 9.999999E-4
            1.0E-4         | 1.0E-4
            1234567        | 1234567.0
            9999999        | 9999999.0
            100            | 100.0
            12.5           | 12.5
            0.0012         | 0.0012
            1.5E-10        | 1.5E-10
            1.0E7          | 1.0E7
            0.33333334     | 0.33333334
            1.2345678E-20  | 1.2345678E-20
            3.4028235E38   | 3.4028235E38
            -0.0           | -0.0
            1.6777216E7    | 1.6777216E7
            NaN            | NaN
            Infinity       | Infinity
            -Infinity      | -Infinity
            """)
    void laysOutLikeFloatToString(String input, String expected) {
        assertThat(format(Float.parseFloat(input))).isEqualTo(expected);
    }

    @Test
    void smallestSubnormalNeedsOnlyOneDigit() {
        // Float.toString insists on two digits here (1.4E-45); one reads back just as exactly
        assertThat(format(Float.MIN_VALUE)).isEqualTo("1.0E-45");
        assertThat(Float.parseFloat("1.0E-45")).isEqualTo(Float.MIN_VALUE);
    }
}
