package io.github.flinksoftmax.testing;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts what an output topic holds against the inputs {@code id-0 .. id-(n-1)} (record keys):
 * how many never came out and how many came out more than once. Every delivery test uses this
 * one check, and shows it can fail by finding duplicates where they must exist.
 *
 * @param missing inputs with no output
 * @param duplicates outputs beyond the first for the same input
 */
public record DeliveryCheck(int missing, int duplicates, int records) {

    public static String key(int i) {
        return "id-" + i;
    }

    public static int index(ConsumerRecord<byte[], byte[]> r) {
        return Integer.parseInt(new String(r.key(), StandardCharsets.UTF_8).substring(3));
    }

    /**
     * Counts against the input topic as it is rather than against {@code id-0 .. id-(n-1)}: an
     * input written twice (a producer retry) must come out twice, no more, no less.
     */
    public static DeliveryCheck against(List<ConsumerRecord<byte[], byte[]>> records,
            List<ConsumerRecord<byte[], byte[]>> inputs) {
        Map<String, Integer> expected = counts(inputs);
        Map<String, Integer> seen = counts(records);
        int missing = 0;
        int duplicates = 0;
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            int got = seen.getOrDefault(e.getKey(), 0);
            missing += Math.max(0, e.getValue() - got);
            duplicates += Math.max(0, got - e.getValue());
        }
        for (Map.Entry<String, Integer> e : seen.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                duplicates += e.getValue(); // an output with no input at all
            }
        }
        return new DeliveryCheck(missing, duplicates, records.size());
    }

    private static Map<String, Integer> counts(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            counts.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return counts;
    }

    /** Counts against the inputs {@code id-0 .. id-(n-1)}, each expected once. */
    public static DeliveryCheck of(List<ConsumerRecord<byte[], byte[]>> records, int n) {
        return of(records, IntStream.range(0, n).mapToObj(DeliveryCheck::key).toList());
    }

    /** Counts against these keys, each expected once; any other key counts as a duplicate. */
    public static DeliveryCheck of(List<ConsumerRecord<byte[], byte[]>> records, Collection<String> expected) {
        Set<String> keys = new HashSet<>(expected);
        Map<String, Integer> seen = counts(records);
        int missing = 0;
        int duplicates = 0;
        for (String key : keys) {
            if (!seen.containsKey(key)) {
                missing++;
            }
        }
        for (Map.Entry<String, Integer> e : seen.entrySet()) {
            duplicates += keys.contains(e.getKey()) ? e.getValue() - 1 : e.getValue();
        }
        return new DeliveryCheck(missing, duplicates, records.size());
    }
}
