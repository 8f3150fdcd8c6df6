package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.io.NumberInput;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Utf8FloatParser} gives {@link BytewiseFloatParser}'s verdict for every input: where the
 * number ends and its float bits, or declined. The cases are where reading eight bytes at a time
 * can go wrong: digit runs around 8, 16 and 18 digits, a run ending at each byte of an
 * eight-byte word with every possible byte there, a number at the very end of the array or of the
 * range it may read, leading zeros that do not count as digits. Accepted numbers are also checked
 * against Jackson's {@code NumberInput.parseFloat}. {@code -Dfuzz.seed} as in
 * {@link FormatFuzzTest}.
 */
class Utf8FloatParserTest {

    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final String[] EXPONENTS = {"", "e5", "E-3", "e+12", "e-45", "e38", "e", "e+", "E-", "e0400"};
    private static final String[] AFTER = {"", ",", "]", " ", "}", ".", "e", "x", "5"};

    private final Utf8FloatParser parser = new Utf8FloatParser();
    private final BytewiseFloatParser oracle = new BytewiseFloatParser();

    @Test
    void digitRunsOfEveryLengthUpTo22() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int integer = 0; integer <= 22; integer++) {
            for (int fraction = -1; fraction <= 22; fraction++) {
                for (String exponent : EXPONENTS) {
                    String mantissa = digits(random, integer, true) + (fraction < 0 ? "" : "." + digits(random, fraction, false));
                    for (String sign : new String[] {"", "-"}) {
                        check(sign + mantissa + exponent);
                        check(sign + mantissa.replace('1', '0').replace('2', '0') + exponent);
                    }
                }
            }
        }
    }

    @Test
    void leadingZerosDoNotCountAsDigits() {
        for (int zeros = 0; zeros <= 25; zeros++) {
            for (int significant = 0; significant <= 22; significant++) {
                String text = "0." + "0".repeat(zeros) + "123456789123456789123456789".substring(0, significant);
                check(text);
                check("-" + text + "e7");
                check(text + "0".repeat(zeros));
            }
        }
    }

    @Test
    void eighteenToTwentyDigitsAroundTheLongLimit() {
        for (String digits : new String[] {"99999999999999999999", "92233720368547758079", "18446744073709551617"}) {
            for (int length = 17; length <= 20; length++) {
                for (int point = 1; point < length; point++) {
                    String text = digits.substring(0, point) + "." + digits.substring(point, length);
                    check(text);
                    check("-" + text + ",");
                }
            }
        }
    }

    @Test
    void everyByteAfterEveryDigitOfAWord() {
        for (String prefix : new String[] {"1.", "-0.", "12345678.", "9.87654321"}) {
            for (int at = 0; at <= 17; at++) {
                for (int c = 0; c < 256; c++) {
                    byte[] b = (prefix + "1234567890123456789").getBytes(StandardCharsets.US_ASCII);
                    int p = prefix.length() + at;
                    if (p >= b.length) {
                        continue;
                    }
                    b[p] = (byte) c;
                    check(b, 0, b.length);
                    check(b, 0, p + 1);
                    check(b, 0, p);
                }
            }
        }
    }

    @Test
    void neverReadsPastTheEndOfItsRange() {
        byte[] b = "[-2.34567891234,0.12345678901234567,17]".getBytes(StandardCharsets.US_ASCII);
        for (int pos = 0; pos < b.length; pos++) {
            for (int end = pos; end <= b.length; end++) {
                check(b, pos, end);
            }
        }
    }

    @Test
    void randomNumbersAgreeWithTheOracleAndJackson() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 200_000; i++) {
            String text = switch (random.nextInt(4)) {
                case 0 -> Float.toString((float) (3 * random.nextGaussian()));
                case 1 -> Float.toString(Float.intBitsToFloat(random.nextInt()));
                case 2 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(-30, 30)));
                default -> (random.nextBoolean() ? "-" : "") + digits(random, random.nextInt(4), true) + "."
                        + digits(random, random.nextInt(1, 24), false) + EXPONENTS[random.nextInt(6)];
            };
            check(text + AFTER[random.nextInt(AFTER.length)]);
        }
    }

    @Test
    void randomBytesGetTheOraclesVerdict() {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] alphabet = "0000123456789..--+eE ,]xIN\u0000\u007f/:".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[random.nextInt(1, 30)];
            for (int j = 0; j < b.length; j++) {
                b[j] = random.nextInt(20) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            check(b, 0, b.length);
        }
    }

    /** {@code n} random digits; a nonzero first one if {@code leading} (n = 0 gives "0" then). */
    private static String digits(SplittableRandom random, int n, boolean leading) {
        if (n == 0) {
            return leading ? "0" : "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append((char) ((leading ? '1' + random.nextInt(9) : '0' + random.nextInt(10))));
        for (int j = 1; j < n; j++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }

    private void check(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        check(b, 0, b.length);
        // the same number inside a larger array, with digits after the end of its range
        byte[] padded = Arrays.copyOf(("[" + text).getBytes(StandardCharsets.UTF_8), b.length + 20);
        Arrays.fill(padded, b.length + 1, padded.length, (byte) '7');
        check(padded, 1, b.length + 1);
    }

    private void check(byte[] b, int pos, int end) {
        String what = "seed " + SEED + ": '" + new String(b, pos, end - pos, StandardCharsets.ISO_8859_1) + "'";
        int expected = oracle.parse(b, pos, end);
        int actual = parser.parse(b, pos, end);
        assertThat(actual).as(what).isEqualTo(expected);
        if (actual < 0) {
            return;
        }
        int bits = Float.floatToRawIntBits(parser.value());
        assertThat(bits).as(what).isEqualTo(Float.floatToRawIntBits(oracle.value()));
        String number = new String(b, pos, actual - pos, StandardCharsets.ISO_8859_1);
        if (!number.endsWith("NaN") && !number.endsWith("Infinity")) {
            assertThat(bits).as(what).isEqualTo(Float.floatToRawIntBits(NumberInput.parseFloat(number, true)));
        }
    }
}
