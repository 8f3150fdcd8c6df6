package io.github.flinksoftmax.bench;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The results as Markdown for the README: the machine and command, the throughput table with
 * each job's rate relative to the pass-through job of the same format, and the latency table.
 * Where a job ran more than once, the ratios use the median rate.
 */
final class Report {

    private Report() {}

    static String markdown(List<Result> results, String machine, BenchArgs args) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append(".\n\n");
        md.append("| format | K | job | records/s | input MB/s | vs pass-through | Flink JVM CPU s per M records | broker CPU s per M records |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            if (!r.scenario().equals("throughput")) {
                continue;
            }
            double base = median(results, r.format(), "pass-through");
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %.1f | %.2fx | %.1f | %s |%n",
                    r.format(), r.k(), r.job(), r.recordsPerSecond(), r.inputMbPerSecond(),
                    r.recordsPerSecond() / base, r.jobCpuPerMillion(),
                    Double.isNaN(r.brokerCpuPerMillion()) ? "n/a" : String.format(Locale.ROOT, "%.1f", r.brokerCpuPerMillion())));
        }
        md.append("\n| delivery | checkpoint interval | format | K | offered records/s | samples | p50 ms | p99 ms | p99.9 ms |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            if (!r.scenario().startsWith("latency")) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d ms | %s | %d | %,.0f | %,d | %.0f | %.0f | %.0f |%n",
                    r.delivery(), r.checkpointMs(), r.format(), r.k(), r.offeredRate(), r.records(),
                    r.p50Ms(), r.p99Ms(), r.p999Ms()));
        }
        return md.toString();
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
