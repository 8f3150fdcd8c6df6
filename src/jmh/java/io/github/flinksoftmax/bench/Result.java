package io.github.flinksoftmax.bench;

import java.util.Locale;

/**
 * One benchmark run's numbers. Throughput runs fill rate, MB/s and CPU; latency runs fill the
 * offered load and the percentiles; a field that does not apply is NaN (an empty CSV cell).
 *
 * @param scenario {@code throughput}, {@code latency-alo} or {@code latency-eo}
 * @param job {@code softmax}, {@code pass-through} or {@code softmax-scalar}
 * @param checkpointMs the checkpoint interval
 * @param recordsPerSecond records per second between the first and the last output record
 * @param inputMbPerSecond input megabytes (10^6 bytes) per second over the same window
 * @param jobCpuPerMillion CPU seconds of the JVM running Flink per million records, the reader thread excluded
 * @param brokerCpuPerMillion CPU seconds of the broker process per million records (NaN for an external broker)
 * @param offeredRate records per second the producer offered (latency runs)
 * @param warmupSeconds seconds of offered load before the measured window (latency runs)
 * @param caughtUp whether the job had caught up with the load when the window started (latency
 *     runs; false also when the benchmark was told not to wait for it)
 */
record Result(String scenario, String format, int k, String job, String delivery, long checkpointMs,
        long records, double seconds, double recordsPerSecond, double inputMbPerSecond,
        double jobCpuPerMillion, double brokerCpuPerMillion, double offeredRate,
        double p50Ms, double p99Ms, double p999Ms, double warmupSeconds, boolean caughtUp) {

    static final String CSV_HEADER = "scenario,format,k,job,delivery,checkpoint_ms,records,seconds,records_per_s,"
            + "input_mb_per_s,job_cpu_s_per_m,broker_cpu_s_per_m,offered_per_s,p50_ms,p99_ms,p999_ms,warmup_s,caught_up";

    String csv() {
        return String.join(",", scenario, format, Integer.toString(k), job, delivery, Long.toString(checkpointMs),
                Long.toString(records), num(seconds), num(recordsPerSecond), num(inputMbPerSecond),
                num(jobCpuPerMillion), num(brokerCpuPerMillion), num(offeredRate), num(p50Ms), num(p99Ms), num(p999Ms),
                num(warmupSeconds), Boolean.toString(caughtUp));
    }

    /** Reads a line {@link #csv()} wrote; lines from before the warm-up columns read as NaN and false. */
    static Result parse(String line) {
        String[] f = line.split(",", -1);
        return new Result(f[0], f[1], Integer.parseInt(f[2]), f[3], f[4], Long.parseLong(f[5]), Long.parseLong(f[6]),
                dbl(f[7]), dbl(f[8]), dbl(f[9]), dbl(f[10]), dbl(f[11]), dbl(f[12]), dbl(f[13]), dbl(f[14]), dbl(f[15]),
                f.length > 16 ? dbl(f[16]) : Double.NaN, f.length > 17 && Boolean.parseBoolean(f[17]));
    }

    private static double dbl(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
