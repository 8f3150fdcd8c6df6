package io.github.flinksoftmax.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The results as Markdown for the README: the machine, the throughput table with one row per
 * case (format and K) and implementation (the run with the median append rate; all runs' rates
 * listed) with its append and commit-visible rates and CPU, the softmax job's rate relative to
 * each reference per case, and the latency table (with how long the load ran before each
 * measured window and whether the job had caught up by then).
 */
final class Report {

    /** The implementations the softmax job is compared with, in the ratio table's column order. */
    static final List<String> REFERENCES = List.of("kstreams-eos", "kstreams-alo", "copy", "pass-through");

    private Report() {}

    static String markdown(List<Result> results, String machine, BenchArgs args) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append(".\n\n");
        throughput(md, results);
        ratios(md, results);
        latency(md, results);
        return md.toString();
    }

    private static void throughput(StringBuilder md, List<Result> results) {
        md.append("| case | job | delivery | checkpoint / commit ms | append records/s (median) | runs: append records/s "
                + "| append MB/s in / out | commit-visible records/s | visible ÷ append | job CPU s per M records "
                + "| broker CPU s per M records |\n");
        md.append("|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
        for (String c : cases(results)) {
            for (String job : jobs(results)) {
                Result r = medianRun(results, c, job);
                if (r == null) {
                    continue;
                }
                String runs = throughputRuns(results, c, job).stream()
                        .map(x -> String.format(Locale.ROOT, "%,.0f", x.recordsPerSecond())).collect(Collectors.joining(", "));
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %,.0f | %s | %.1f / %.1f | %,.0f | %.2f | %.1f | %s |%n",
                        c, job, r.delivery(), r.checkpointMs(), r.recordsPerSecond(), runs, r.inputMbPerSecond(),
                        r.outputMbPerSecond(), r.visibleRecordsPerSecond(), r.visibleRatio(), r.jobCpuPerMillion(),
                        Double.isNaN(r.brokerCpuPerMillion()) ? "n/a" : String.format(Locale.ROOT, "%.1f", r.brokerCpuPerMillion())));
            }
        }
    }

    /** Per case, the softmax job's median run over each reference's: append rate, then commit-visible rate. */
    private static void ratios(StringBuilder md, List<Result> results) {
        md.append("\nThe softmax job's rate ÷ each reference's (median runs), append records/s and, in brackets, "
                + "commit-visible records/s:\n\n| case |");
        REFERENCES.forEach(ref -> md.append(" vs ").append(ref).append(" |"));
        md.append("\n|---|").append("---:|".repeat(REFERENCES.size())).append('\n');
        for (String c : cases(results)) {
            Result softmax = medianRun(results, c, "softmax");
            if (softmax == null) {
                continue;
            }
            md.append("| ").append(c).append(" |");
            for (String ref : REFERENCES) {
                Result other = medianRun(results, c, ref);
                md.append(other == null ? " n/a |" : String.format(Locale.ROOT, " %.2fx (%.2fx) |",
                        softmax.recordsPerSecond() / other.recordsPerSecond(),
                        softmax.visibleRecordsPerSecond() / other.visibleRecordsPerSecond()));
            }
            md.append('\n');
        }
    }

    private static void latency(StringBuilder md, List<Result> results) {
        md.append("\nLatency: from the input record's append to the output being readable with read_committed.\n\n");
        md.append("| delivery | checkpoint interval | case | offered records/s | load before window s | caught up | samples "
                + "| p50 ms | p99 ms | p99.9 ms |\n");
        md.append("|---|---:|---|---:|---:|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            if (!r.scenario().startsWith("latency")) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d ms | %s | %,.0f | %.1f | %s | %,d | %.0f | %.0f | %.0f |%n",
                    r.delivery(), r.checkpointMs(), r.caseName(), r.offeredRate(), r.warmupSeconds(),
                    // exactly-once output comes in bursts a checkpoint apart, so its window starts after a fixed warm-up
                    r.caughtUp() ? "yes" : r.delivery().equals("exactly-once") ? "fixed warm-up" : "no", r.records(), r.p50Ms(), r.p99Ms(), r.p999Ms()));
        }
    }

    /** The throughput runs' cases, in the order they ran. */
    static List<String> cases(List<Result> results) {
        return results.stream().filter(r -> r.scenario().equals("throughput")).map(Result::caseName).distinct().toList();
    }

    /** The throughput runs' jobs, in the order they first appear. */
    static List<String> jobs(List<Result> results) {
        return results.stream().filter(r -> r.scenario().equals("throughput")).map(Result::job).distinct().toList();
    }

    private static List<Result> throughputRuns(List<Result> results, String caseName, String job) {
        return results.stream()
                .filter(r -> r.scenario().equals("throughput") && r.caseName().equals(caseName) && r.job().equals(job))
                .toList();
    }

    /** The run with the median append rate (the lower middle one for an even count), or null if there is none. */
    static Result medianRun(List<Result> results, String caseName, String job) {
        List<Result> runs = throughputRuns(results, caseName, job).stream()
                .sorted(java.util.Comparator.comparingDouble(Result::recordsPerSecond)).toList();
        return runs.isEmpty() ? null : runs.get((runs.size() - 1) / 2);
    }
}
