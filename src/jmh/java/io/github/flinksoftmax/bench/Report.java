package io.github.flinksoftmax.bench;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The results as Markdown for the README: the machine and command, the throughput table with
 * one row per format and job (the run with the median rate; all runs' rates listed) and its rate
 * relative to the pass-through job's median, and the latency table (with how long the load ran
 * before each measured window and whether the job had caught up by then).
 */
final class Report {

    private Report() {}

    static String markdown(List<Result> results, String machine, BenchArgs args) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append(".\n\n");
        md.append("| format | K | job | records/s (median) | runs: records/s | input MB/s | vs pass-through | Flink JVM CPU s per M records | broker CPU s per M records |\n");
        md.append("|---|---:|---|---:|---|---:|---:|---:|---:|\n");
        for (String format : results.stream().filter(r -> r.scenario().equals("throughput")).map(Result::format).distinct().toList()) {
            double base = median(results, format, "pass-through");
            for (String job : results.stream().filter(r -> r.scenario().equals("throughput")).map(Result::job).distinct().toList()) {
                Result r = medianRun(results, format, job);
                String runs = results.stream()
                        .filter(x -> x.scenario().equals("throughput") && x.format().equals(format) && x.job().equals(job))
                        .map(x -> String.format(Locale.ROOT, "%,.0f", x.recordsPerSecond())).collect(Collectors.joining(", "));
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %s | %.1f | %.2fx | %.1f | %s |%n",
                        r.format(), r.k(), r.job(), r.recordsPerSecond(), runs, r.inputMbPerSecond(),
                        r.recordsPerSecond() / base, r.jobCpuPerMillion(),
                        Double.isNaN(r.brokerCpuPerMillion()) ? "n/a" : String.format(Locale.ROOT, "%.1f", r.brokerCpuPerMillion())));
            }
        }
        md.append("\n| delivery | checkpoint interval | format | K | offered records/s | load before window s | caught up | samples | p50 ms | p99 ms | p99.9 ms |\n");
        md.append("|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            if (!r.scenario().startsWith("latency")) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d ms | %s | %d | %,.0f | %.1f | %s | %,d | %.0f | %.0f | %.0f |%n",
                    r.delivery(), r.checkpointMs(), r.format(), r.k(), r.offeredRate(), r.warmupSeconds(),
                    r.caughtUp() ? "yes" : "no", r.records(),
                    r.p50Ms(), r.p99Ms(), r.p999Ms()));
        }
        return md.toString();
    }

    /** The run with the median rate (the lower middle one for an even count). */
    static Result medianRun(List<Result> results, String format, String job) {
        List<Result> runs = results.stream()
                .filter(r -> r.scenario().equals("throughput") && r.format().equals(format) && r.job().equals(job))
                .sorted(java.util.Comparator.comparingDouble(Result::recordsPerSecond)).toList();
        return runs.get((runs.size() - 1) / 2);
    }

    static double median(List<Result> results, String format, String job) {
        double[] rates = results.stream()
                .filter(r -> r.scenario().equals("throughput") && r.format().equals(format) && r.job().equals(job))
                .mapToDouble(Result::recordsPerSecond).sorted().toArray();
        if (rates.length == 0) {
            return Double.NaN;
        }
        OptionalDouble m = OptionalDouble.of(rates.length % 2 == 1 ? rates[rates.length / 2]
                : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2);
        return m.getAsDouble();
    }
}
