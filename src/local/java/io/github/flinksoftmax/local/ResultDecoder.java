package io.github.flinksoftmax.local;

import io.github.flinksoftmax.format.HeaderLookup;
import io.github.flinksoftmax.format.OutputReader;
import io.github.flinksoftmax.format.OutputReader.Ranked;

import java.util.ArrayList;
import java.util.List;

/**
 * What a person reads on the console for one output record: its id and the most probable classes
 * of its first row, with labels. The record is read by the project's one {@link OutputReader},
 * built for the job's format; this class only chooses what to show. It takes the job's own top-k
 * when the record carries it, and otherwise ranks the row itself with the job's labels, so it
 * shows something useful whatever extras are configured. It never throws: a record it cannot read
 * becomes a line saying so.
 */
final class ResultDecoder {

    /** What the console shows for one output record: the ranking of its first row. */
    record Result(String id, int rows, List<Ranked> top, String problem) {}

    private final OutputReader reader;
    private final List<String> labels;
    private final int k;

    /** @param labels the job's class names by index; {@code k} how many classes to show */
    ResultDecoder(OutputReader reader, List<String> labels, int k) {
        this.reader = reader;
        this.labels = labels;
        this.k = k;
    }

    Result decode(byte[] key, byte[] value, HeaderLookup headers) {
        try {
            OutputReader.Output out = reader.read(key, value, headers);
            List<Ranked> top = out.topK().isEmpty() ? rank(out.row(0), out.log()) : labelled(out.topK().get(0));
            return new Result(out.id(), out.rows(), top.size() > k ? top.subList(0, k) : top, null);
        } catch (RuntimeException e) {
            String id = key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8);
            return new Result(id, 0, List.of(), "unreadable output: " + e.getMessage());
        }
    }

    /** The job's top-k, with the local labels where the record names none. */
    private List<Ranked> labelled(List<Ranked> top) {
        List<Ranked> out = new ArrayList<>(top.size());
        for (Ranked r : top) {
            out.add(r.label() != null ? r : new Ranked(r.index(), label(r.index()), r.probability()));
        }
        return out;
    }

    private List<Ranked> rank(float[] p, boolean log) {
        List<Ranked> top = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            float probability = log ? (float) Math.exp(p[i]) : p[i];
            int at = top.size();
            // ties keep the lower index first, as the job's own top-k does
            while (at > 0 && top.get(at - 1).probability() < probability) {
                at--;
            }
            if (at < k) {
                top.add(at, new Ranked(i, label(i), probability));
                if (top.size() > k) {
                    top.remove(k);
                }
            }
        }
        return top;
    }

    private String label(int index) {
        return index >= 0 && index < labels.size() ? labels.get(index) : null;
    }
}
