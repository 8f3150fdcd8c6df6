package io.github.flinksoftmax.format;

import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.io.NumberOutput;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Checks {@link FloatDigits} on every positive finite float (negative ones differ only by the
 * sign): the text reads back to the same bits, it has no more significant digits than Jackson's
 * Schubfach writer, and both its integer fast way and its search give the same bytes as
 * {@link FloatDigitsReference}, the version before the rewrite for speed. Too slow for the test
 * run (8 minutes on two cores), so it is a program, not a test; run it after touching
 * FloatDigits. {@code exec:java} would get the pom's local-run arguments instead of the stride,
 * so java runs it on the test classpath:
 * {@code mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=target/cp.txt} and then {@code java -cp target/test-classes:target/classes:$(cat
 * target/cp.txt) io.github.flinksoftmax.format.FloatDigitsExhaustiveCheck [STRIDE]}. A stride above
 * 1 checks every STRIDE-th float only.
 */
public final class FloatDigitsExhaustiveCheck {

    private FloatDigitsExhaustiveCheck() {}

    public static void main(String[] args) {
        int stride = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        FloatDigits digits = new FloatDigits();
        char[] buf = new char[FloatDigits.MAX_LENGTH];
        byte[] fast = new byte[FloatDigits.MAX_LENGTH];
        byte[] search = new byte[FloatDigits.MAX_LENGTH];
        FloatDigitsReference frozenWriter = new FloatDigitsReference();
        byte[] frozen = new byte[FloatDigits.MAX_LENGTH];
        for (float f : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, -0.1f,
                -1.0E-5f, -Float.MAX_VALUE, -Float.MIN_VALUE}) {
            int len = digits.write(f, buf, 0);
            int frozenLen = frozenWriter.write(f, frozen, 0);
            if (!sameText(buf, len, frozen, frozenLen)) {
                fail(f, buf, len, "differs from the reference's " + new String(frozen, 0, frozenLen, StandardCharsets.US_ASCII));
            }
        }
        long checked = 0;
        long differentDigits = 0;
        int infinityBits = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
        for (int bits = 1; bits < infinityBits && bits > 0; bits += stride) {
            float f = Float.intBitsToFloat(bits);
            int len = digits.write(f, buf, 0);
            float back = NumberInput.parseFloat(buf, 0, len, true);
            if (Float.floatToRawIntBits(back) != bits) {
                fail(f, buf, len, "reads back as " + back);
            }
            int fastLen = digits.write(f, fast, 0);
            int searchLen = digits.writeBySearch(f, search, 0);
            int frozenLen = frozenWriter.write(f, frozen, 0);
            if (!Arrays.equals(fast, 0, fastLen, frozen, 0, frozenLen)
                    || !Arrays.equals(search, 0, searchLen, frozen, 0, frozenLen)
                    || !sameText(buf, len, frozen, frozenLen)) {
                fail(f, buf, len, "differs from the reference's " + new String(frozen, 0, frozenLen, StandardCharsets.US_ASCII)
                        + " (fast " + new String(fast, 0, fastLen, StandardCharsets.US_ASCII)
                        + ", search " + new String(search, 0, searchLen, StandardCharsets.US_ASCII) + ")");
            }
            String schubfach = NumberOutput.toString(f, true);
            int mine = significantDigits(CharBuffer.wrap(buf, 0, len));
            int theirs = significantDigits(schubfach);
            if (mine > theirs) {
                fail(f, buf, len, "is longer than " + schubfach);
            }
            if (!schubfach.contentEquals(CharBuffer.wrap(buf, 0, len))) {
                differentDigits++;
            }
            if (++checked % 100_000_000 == 0) {
                System.out.printf("%,d checked, up to %s%n", checked, schubfach);
            }
        }
        System.out.printf("OK: %,d floats read back exactly and as the reference writes them; %,d differ from Schubfach's digits%n",
                checked, differentDigits);
    }

    private static boolean sameText(char[] chars, int charLen, byte[] bytes, int byteLen) {
        for (int i = 0; i < charLen; i++) {
            if (chars[i] != bytes[i]) {
                return false;
            }
        }
        return charLen == byteLen;
    }

    /** Digits from the first non-zero one to the last non-zero one, before any exponent. */
    private static int significantDigits(CharSequence s) {
        int first = -1;
        int last = -1;
        int count = 0;
        for (int i = 0; i < s.length() && s.charAt(i) != 'E'; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (c != '0') {
                    first = first < 0 ? count : first;
                    last = count;
                }
                count++;
            }
        }
        return first < 0 ? 0 : last - first + 1;
    }

    private static void fail(float f, char[] buf, int len, String what) {
        throw new AssertionError(String.format("bits %08x: %s %s",
                Float.floatToRawIntBits(f), new String(buf, 0, len), what));
    }
}
