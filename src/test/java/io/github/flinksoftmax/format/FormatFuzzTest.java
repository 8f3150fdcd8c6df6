package io.github.flinksoftmax.format;

import io.github.flinksoftmax.format.Mutations.Case;
import io.github.flinksoftmax.format.Mutations.Target;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static io.github.flinksoftmax.format.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Structure-aware fuzzing of the three decoders with {@link Mutations}: whatever a case holds,
 * decoding either yields well-formed logits or throws {@link BadRecordException} with a reason
 * and a message; nothing else escapes (no runtime exception, no StackOverflowError, no
 * OutOfMemoryError). Each case is decoded twice, with the default limit and with a limit of four
 * logits, so the {@code too-long} paths are fuzzed too. {@code -Dfuzz.tries} sets the number of
 * cases (10,000 by default; the {@code fuzz} Maven profile runs a million) and
 * {@code -Dfuzz.seed} replays a run; a failure names both.
 */
class FormatFuzzTest {

    private static final int TRIES = Integer.getInteger("fuzz.tries", 10_000);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

    @Test
    void mutatedRecordsFailOnlyAsBadRecords() {
        Map<Target, LogitsFormat[]> formats = new EnumMap<>(Target.class);
        for (Target t : Target.values()) {
            FormatSettings s = Mutations.settings(t);
            formats.put(t, new LogitsFormat[] {Formats.create(Mutations.formatName(t), s),
                Formats.create(Mutations.formatName(t), s.withMaxLength(4))});
        }
        Mutations mutations = new Mutations(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < TRIES; i++) {
            Case c = mutations.next();
            HeaderLookup headers = c.shapeHeader() == null ? HeaderLookup.NONE
                    : key -> key.equals(Float32LeFormat.SHAPE_HEADER) ? utf8(c.shapeHeader()) : null;
            for (LogitsFormat format : formats.get(c.target())) {
                outcomes.merge(decode(format, c, headers, i), 1, Integer::sum);
            }
        }
        System.out.printf("fuzz: %d cases (seed %d), %d decodes by outcome: %s%n", TRIES, SEED, 2 * TRIES, outcomes);
        assertThat(outcomes).as("the mutations reach both outcomes").containsKey("decoded").containsKey("malformed-json");
    }

    private static String decode(LogitsFormat format, Case c, HeaderLookup headers, int i) {
        try {
            Logits logits = format.decode(c.value(), headers);
            assertThat(logits.values()).hasSize(logits.rows() * logits.cols()).isNotEmpty();
            assertThat((long) logits.rows() * logits.cols()).isEqualTo(Shapes.product(logits.shape()));
            return "decoded";
        } catch (BadRecordException e) {
            assertThat(e.getMessage()).as(describe(c, i)).isNotBlank();
            // 'unreadable' is the decoders' catch-all for what they did not foresee: a bug to fix
            assertThat(e.reason()).as("%s: %s", describe(c, i), e.getMessage()).isNotEqualTo(Reason.UNREADABLE);
            return e.reason().code();
        } catch (Throwable t) {
            return fail("%s threw %s", describe(c, i), t);
        }
    }

    private static String describe(Case c, int i) {
        String text = new String(c.value(), java.nio.charset.StandardCharsets.ISO_8859_1);
        return "case " + i + " of seed " + SEED + " (-Dfuzz.seed=" + SEED + "), " + c.target() + ", " + c.mutation()
                + ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
}
