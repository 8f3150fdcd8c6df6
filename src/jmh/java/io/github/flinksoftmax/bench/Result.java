package io.github.flinksoftmax.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One benchmark run's numbers. Throughput runs fill the rates, MB/s and CPU; latency runs fill the
 * offered load and the percentiles; a field that does not apply is NaN (an empty CSV cell).
 *
 * @param scenario {@code throughput}, {@code latency-alo} or {@code latency-eo}
 * @param job {@code softmax}, {@code softmax[variant]}, {@code softmax-scalar}, {@code pass-through},
 *     {@code kstreams-alo}, {@code kstreams-eos} or {@code copy}
 * @param checkpointMs the checkpoint interval (Kafka Streams: its commit interval; copy: its offset commit interval)
 * @param records N, the records of the run
 * @param appendSeconds from the first to the last output record's broker append
 * @param visibleSeconds from the first output record's append until the last was readable with read_committed
 * @param recordsPerSecond N over the append window
 * @param inputMbPerSecond input megabytes (10^6 bytes) per second over the append window
 * @param outputMbPerSecond output value megabytes per second over the append window
 * @param visibleRecordsPerSecond N over the visible window: what a read_committed reader downstream gets
 * @param jobCpuPerMillion CPU seconds of the benchmark JVM (Flink, or the Kafka Streams app or copy running in
 *     it) per million records over the append window, the reader thread excluded
 * @param brokerCpuPerMillion CPU seconds of the broker process per million records (NaN for an external broker)
 * @param offeredRate records per second the producer offered (latency runs)
 * @param warmupSeconds seconds of offered load before the measured window (latency runs)
 * @param caughtUp whether the job had caught up with the load when the window started (latency
 *     runs; false also when the benchmark was told not to wait for it)
 */
record Result(String scenario, String format, int k, String job, String delivery, long checkpointMs,
        long records, double appendSeconds, double visibleSeconds, double recordsPerSecond, double inputMbPerSecond,
        double outputMbPerSecond, double visibleRecordsPerSecond,
        double jobCpuPerMillion, double brokerCpuPerMillion, double offeredRate,
        double p50Ms, double p99Ms, double p999Ms, double warmupSeconds, boolean caughtUp) {

    static final String CSV_HEADER = "scenario,format,k,job,delivery,checkpoint_ms,records,append_s,visible_s,"
            + "records_per_s,input_mb_per_s,output_mb_per_s,visible_records_per_s,job_cpu_s_per_m,broker_cpu_s_per_m,"
            + "offered_per_s,p50_ms,p99_ms,p999_ms,warmup_s,caught_up";

    /** The case, as {@code --cases} names it. */
    String caseName() {
        return format + ":" + k;
    }

    /** Commit-visible records/s over append records/s: how much of the append rate a read_committed reader sees. */
    double visibleRatio() {
        return visibleRecordsPerSecond / recordsPerSecond;
    }

    String csv() {
        return String.join(",", scenario, format, Integer.toString(k), job, delivery, Long.toString(checkpointMs),
                Long.toString(records), num(appendSeconds), num(visibleSeconds), num(recordsPerSecond),
                num(inputMbPerSecond), num(outputMbPerSecond), num(visibleRecordsPerSecond),
                num(jobCpuPerMillion), num(brokerCpuPerMillion), num(offeredRate), num(p50Ms), num(p99Ms), num(p999Ms),
                num(warmupSeconds), Boolean.toString(caughtUp));
    }

    /**
     * Reads a line of a {@code results.csv} with the given header line, by column name: files from
     * before a column existed read it as NaN (false), and their {@code seconds} as the append window.
     */
    static Result parse(String header, String line) {
        List<String> names = Arrays.asList(header.split(","));
        String[] f = line.split(",", -1);
        java.util.function.Function<String, String> col = name -> {
            int i = names.indexOf(name);
            return i < 0 || i >= f.length ? "" : f[i];
        };
        String append = col.apply("append_s").isEmpty() ? col.apply("seconds") : col.apply("append_s");
        return new Result(col.apply("scenario"), col.apply("format"), Integer.parseInt(col.apply("k")), col.apply("job"),
                col.apply("delivery"), Long.parseLong(col.apply("checkpoint_ms")), Long.parseLong(col.apply("records")),
                dbl(append), dbl(col.apply("visible_s")), dbl(col.apply("records_per_s")),
                dbl(col.apply("input_mb_per_s")), dbl(col.apply("output_mb_per_s")),
                dbl(col.apply("visible_records_per_s")), dbl(col.apply("job_cpu_s_per_m")),
                dbl(col.apply("broker_cpu_s_per_m")), dbl(col.apply("offered_per_s")), dbl(col.apply("p50_ms")),
                dbl(col.apply("p99_ms")), dbl(col.apply("p999_ms")), dbl(col.apply("warmup_s")),
                Boolean.parseBoolean(col.apply("caught_up")));
    }

    private static double dbl(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
