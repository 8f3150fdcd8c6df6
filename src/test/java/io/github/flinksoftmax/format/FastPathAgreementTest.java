package io.github.flinksoftmax.format;

import io.github.flinksoftmax.format.Mutations.Case;
import io.github.flinksoftmax.format.Mutations.Target;
import io.github.flinksoftmax.kernel.Activation;
import io.github.flinksoftmax.postprocess.Distribution;
import io.github.flinksoftmax.postprocess.Extras;
import io.github.flinksoftmax.postprocess.RowSummary;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static io.github.flinksoftmax.format.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON formats' fast decoding path (the logits array read from the bytes) gives the verdict
 * the Jackson path gives, record for record: the same reason and message for a bad record, or
 * the same values (bit for bit), shape, envelope and encoded bytes. The oracle is the Jackson
 * path of the same class, which decoded every record before the fast path existed. Records are
 * {@link Mutations} cases at two length limits and records of random numbers in many spellings
 * (digit counts, exponents, float midpoints, odd tokens), which is where a fast float parser can
 * round wrongly. {@code -Dfuzz.tries} and {@code -Dfuzz.seed} as in {@link FormatFuzzTest}.
 */
class FastPathAgreementTest {

    private static final int TRIES = Integer.getInteger("fuzz.tries", 10_000);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

    @Test
    void mutatedRecordsGetTheJacksonPathsVerdict() {
        Mutations mutations = new Mutations(SEED);
        for (int i = 0; i < TRIES; i++) {
            Case c = mutations.next();
            if (c.target() != Target.JSON && c.target() != Target.OIP_V2) {
                continue;
            }
            FormatSettings s = Mutations.settings(c.target());
            for (FormatSettings settings : new FormatSettings[] {s, s.withMaxLength(4)}) {
                assertAgree(c.target(), settings, c.value(), "seed " + SEED + " case " + i + " (" + c.mutation() + ")");
            }
        }
    }

    @Test
    void numbersInManySpellingsGetTheJacksonPathsVerdict() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < TRIES; i++) {
            String a = number(random);
            String b = number(random);
            String json = random.nextBoolean() ? "[" + a + ", " + b + "]" : "{\"logits\":[" + a + "," + b + "]}";
            String oip = "{\"outputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[" + a + "," + b + "]}]}";
            assertAgree(Target.JSON, FormatSettings.DEFAULTS, utf8(json), "seed " + SEED + ": " + json);
            assertAgree(Target.OIP_V2, FormatSettings.DEFAULTS, utf8(oip), "seed " + SEED + ": " + oip);
        }
    }

    private static void assertAgree(Target target, FormatSettings settings, byte[] value, String what) {
        LogitsFormat fast = target == Target.JSON ? new JsonFormat(settings) : new OipV2Format(settings);
        LogitsFormat jackson = target == Target.JSON ? new JsonFormat(settings, false) : new OipV2Format(settings, false);
        assertThat(verdict(fast, value)).as(what).isEqualTo(verdict(jackson, value));
    }

    private static String verdict(LogitsFormat format, byte[] value) {
        try {
            Logits logits = format.decode(value, HeaderLookup.NONE);
            int[] bits = new int[logits.values().length];
            for (int j = 0; j < bits.length; j++) {
                bits[j] = Float.floatToRawIntBits(logits.values()[j]);
            }
            Distribution d = new Distribution(logits.values(), logits.rows(), logits.cols(), Activation.SOFTMAX,
                    Extras.NONE,
                    new RowSummary[0]);
            byte[] encoded = format.encode(logits, d, (k, v) -> {});
            return "decoded " + Arrays.toString(bits) + " " + Arrays.toString(logits.shape()) + " "
                    + Objects.toString(logits.envelope()) + " -> " + new String(encoded, StandardCharsets.UTF_8);
        } catch (BadRecordException e) {
            return e.reason().code() + ": " + e.getMessage();
        }
    }

    /** A random number in one of the spellings producers use, or a token that is not one. */
    private static String number(SplittableRandom r) {
        switch (r.nextInt(8)) {
            case 0:
                return Float.toString(Float.intBitsToFloat(r.nextInt()));
            case 1:
                return Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(-12, 12)));
            case 2:
                return Float.toString((float) (3 * r.nextGaussian()));
            case 3:
                return String.format("%." + r.nextInt(1, 20) + "e", r.nextGaussian() * Math.pow(10, r.nextInt(-45, 40)));
            case 4:
                return Long.toString(r.nextLong() >> r.nextInt(64));
            case 5:
                StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
                sb.append(r.nextInt(10) == 0 ? "0" : Integer.toString(r.nextInt(1, 10)));
                int n = r.nextInt(30);
                for (int j = 0; j < n; j++) {
                    sb.append((char) ('0' + r.nextInt(10)));
                }
                if (r.nextBoolean()) {
                    sb.append('.').append(r.nextInt(1_000_000_000));
                }
                if (r.nextBoolean()) {
                    sb.append(r.nextBoolean() ? 'e' : 'E').append(r.nextBoolean() ? "-" : r.nextBoolean() ? "+" : "")
                            .append(r.nextInt(60));
                }
                return sb.toString();
            case 6:
                // just beside a float midpoint or on it: where one rounding too many gives the wrong float
                float f = Float.intBitsToFloat(r.nextInt(0x7f000000));
                double mid = ((double) f + Math.nextUp(f)) / 2;
                return new BigDecimal(mid).add(BigDecimal.valueOf(r.nextInt(-1, 2), 60)).toString();
            default:
                String[] odd = {"NaN", "-Infinity", "Infinity", "-0", "0.0", "1E400", "1e-400", "-0e5", "01", "1.",
                    ".5", "+1", "1e", "-", "0x1p3", "1.5f", "Infinityx", "-NaN", "1_000"};
                return odd[r.nextInt(odd.length)];
        }
    }
}
