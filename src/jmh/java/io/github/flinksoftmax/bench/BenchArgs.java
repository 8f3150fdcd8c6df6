package io.github.flinksoftmax.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.util.TimeUtils;

/**
 * The end-to-end benchmark's flags, each {@code --name value}; unknown names and bad values fail
 * at once naming the flag and what it takes.
 * <pre>
 * --bootstrap-servers host:port   use this broker instead of starting one (its CPU is then not measured)
 * --cases json:1000,oip-v2:1000,float32le:1000,float32le:32768
 *                                 format:K of the throughput runs (K = classes per record)
 * --jobs softmax,pass-through,kstreams-alo,kstreams-eos,copy
 *                                 what runs on each case: the job (exactly-once, its default checkpoint
 *                                   interval), softmax-scalar (the same, scalar kernel), pass-through (the
 *                                   job's shape without the softmax), kstreams-alo / kstreams-eos (a Kafka
 *                                   Streams app doing the softmax), copy (a consumer-to-producer byte copy)
 * --variants "ci1s:checkpoint.interval=1s|nolinger:kafka.sink.linger.ms=0"
 *                                 more softmax runs, named softmax[label], each with its own job options:
 *                                   variants separated by |, label:options, options key=value separated by ;
 * --input-mb 300                  input volume per throughput run; N = this / record size (at least 1,000)
 * --min-seconds 6                 and at least enough records for this long at the fastest warm-up rate of the
 *                                   case: the input is topped up after the warm-up (0 = --input-mb only); a
 *                                   short run would be mostly the start and the last checkpoint's wait
 * --warmup-records 75000          records each job processes once per case, unrecorded, before the measured runs
 *                                   (at most the topic)
 * --repeat 3                      measured runs per job and case, in rotating order, after one unrecorded round
 * --latency-cases float32le:1000  format:K of the latency runs ("" for none)
 * --rate 0                        offered loads of the latency runs (records/s, comma-separated; exactly-once runs
 *                                   use the first); 0 = half and a quarter of the fastest softmax run of the case
 * --latency-seconds 20            length of the measured window of a latency run (records appended to the input in it)
 * --latency-warmup 5s             the paced load runs at least this long before the measured window
 * --catch-up-lag 50ms             and until the job has caught up: no output record later than this for
 * --catch-up-for 3s                 this long; 0ms = do not wait (the window starts after the warm-up, so
 *                                   the job's start-up backlog shows)
 * --catch-up-max 60s              give up waiting after this much load; the run is then marked not caught up
 * --alo-checkpoint 2s             checkpoint interval of the at-least-once latency runs
 * --intervals 200ms,500ms,1s,10s  checkpoint intervals of the exactly-once latency runs
 * --parallelism 2                 job parallelism = input partitions = task slots = Streams and copy threads
 * --job-options k=v,k=v           extra job options for every run of the job and pass-through, e.g.
 *                                   kafka.sink.linger.ms=0 ("" for none)
 * --producer-linger-ms 5          linger.ms of the latency runs' paced producer
 * --producer-batch-kb 1024        batch.size of the paced producer, KiB
 * --out docs/bench                where results.csv, results.md and the charts go
 * --work-dir /tmp                 where the started broker keeps its data and Kafka Streams its state
 *                                   (e.g. /dev/shm: no disk writeback)
 * --broker-jvm-opts "..."         JVM flags of the started broker, replacing Kafka's launcher flags
 *                                   (LocalKafka.BROKER_JVM_FLAGS), space-separated; "" keeps those
 * --broker-java /usr/lib/jvm/x    JDK whose bin/java runs the started broker; "" = this JVM's
 * </pre>
 */
record BenchArgs(String bootstrapServers, List<Case> cases, List<String> jobs, Map<String, Map<String, String>> variants,
        double inputMb, double minSeconds, long warmupRecords, int repeat, List<Case> latencyCases, List<Double> rates, int latencySeconds, Duration latencyWarmup,
        Duration catchUpLag, Duration catchUpFor, Duration catchUpMax, Duration aloCheckpoint, List<Duration> intervals, int parallelism, Map<String, String> jobOptions,
        int producerLingerMs, int producerBatchKb, Path out, Path workDir, List<String> brokerJvmOpts,
        Path brokerJava) {

    private static final Set<String> FORMATS = Set.of("json", "oip-v2", "float32le");
    static final List<String> JOBS = List.of("softmax", "pass-through", "softmax-scalar", "kstreams-alo",
            "kstreams-eos", "copy");
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("bootstrap-servers", ""),
            Map.entry("cases", "json:1000,oip-v2:1000,float32le:1000,float32le:32768"),
            Map.entry("jobs", "softmax,pass-through,kstreams-alo,kstreams-eos,copy"),
            Map.entry("variants", ""),
            Map.entry("input-mb", "300"),
            Map.entry("min-seconds", "6"),
            Map.entry("warmup-records", "75000"),
            Map.entry("repeat", "3"),
            Map.entry("latency-cases", "float32le:1000"),
            Map.entry("rate", "0"),
            Map.entry("latency-seconds", "20"),
            Map.entry("latency-warmup", "5s"),
            Map.entry("catch-up-lag", "50ms"),
            Map.entry("catch-up-for", "3s"),
            Map.entry("catch-up-max", "60s"),
            Map.entry("alo-checkpoint", "2s"),
            Map.entry("intervals", "200ms,500ms,1s,10s"),
            Map.entry("parallelism", "2"),
            Map.entry("job-options", ""),
            Map.entry("producer-linger-ms", "5"),
            Map.entry("producer-batch-kb", "1024"),
            Map.entry("out", "docs/bench"),
            Map.entry("work-dir", System.getProperty("java.io.tmpdir")),
            Map.entry("broker-jvm-opts", ""),
            Map.entry("broker-java", ""));

    static BenchArgs parse(String[] argv) {
        Map<String, String> v = new HashMap<>(DEFAULTS);
        for (int i = 0; i < argv.length; i++) {
            String name = argv[i].startsWith("--") ? argv[i].substring(2) : null;
            if (name == null || !DEFAULTS.containsKey(name) || i + 1 >= argv.length) {
                throw new IllegalArgumentException("Bad argument '" + argv[i] + "': expected --name value with name one of "
                        + String.join(", ", DEFAULTS.keySet().stream().sorted().toList()));
            }
            v.put(name, argv[++i]);
        }
        return new BenchArgs(
                v.get("bootstrap-servers").isBlank() ? null : v.get("bootstrap-servers"),
                cases(v, "cases"), jobs(v.get("jobs")), variants(v.get("variants")),
                Double.parseDouble(v.get("input-mb")), Double.parseDouble(v.get("min-seconds")),
                positive(v, "warmup-records"), positive(v, "repeat"), cases(v, "latency-cases"),
                rates(v.get("rate")), positive(v, "latency-seconds"),
                TimeUtils.parseDuration(v.get("latency-warmup")), TimeUtils.parseDuration(v.get("catch-up-lag")),
                TimeUtils.parseDuration(v.get("catch-up-for")), TimeUtils.parseDuration(v.get("catch-up-max")),
                TimeUtils.parseDuration(v.get("alo-checkpoint")),
                Arrays.stream(v.get("intervals").split(",")).filter(s -> !s.isBlank()).map(String::trim)
                        .map(TimeUtils::parseDuration).toList(),
                positive(v, "parallelism"), jobOptions(v.get("job-options")),
                nonNegative(v, "producer-linger-ms"), positive(v, "producer-batch-kb"), Path.of(v.get("out")), Path.of(v.get("work-dir")),
                Arrays.stream(v.get("broker-jvm-opts").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                v.get("broker-java").isBlank() ? null : Path.of(v.get("broker-java")));
    }

    /** The throughput runs' jobs in order: {@code --jobs}, then {@code softmax[label]} per {@code --variants} entry. */
    List<String> throughputJobs() {
        List<String> all = new ArrayList<>(jobs);
        variants.keySet().forEach(label -> all.add("softmax[" + label + "]"));
        return all;
    }

    /** One input shape: a wire format and K, the classes per record. */
    record Case(String format, int k) {

        @Override
        public String toString() {
            return format + ":" + k;
        }
    }

    private static List<Case> cases(Map<String, String> v, String key) {
        List<Case> list = new ArrayList<>();
        for (String c : v.get(key).split(",")) {
            c = c.trim();
            if (c.isEmpty() || c.equals("none")) {
                continue;
            }
            int colon = c.indexOf(':');
            String format = colon < 0 ? c : c.substring(0, colon);
            int k = 0;
            try {
                k = colon < 0 ? 0 : Integer.parseInt(c.substring(colon + 1));
            } catch (NumberFormatException e) {
                // reported below with the allowed values
            }
            if (!FORMATS.contains(format) || k <= 0) {
                throw new IllegalArgumentException("--" + key + " has '" + c + "'; expected a comma-separated list of "
                        + "format:K with format json, oip-v2 or float32le and K > 0 (e.g. float32le:1000), or none");
            }
            list.add(new Case(format, k));
        }
        return List.copyOf(list);
    }

    private static List<String> jobs(String list) {
        List<String> jobs = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        for (String job : jobs) {
            if (!JOBS.contains(job)) {
                throw new IllegalArgumentException("--jobs has '" + job + "'; expected a comma-separated list of "
                        + String.join(", ", JOBS));
            }
        }
        return jobs;
    }

    /** label -> job options; "|" separates variants and ";" options, since option values may hold commas. */
    private static Map<String, Map<String, String>> variants(String list) {
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        for (String variant : list.split("\\|")) {
            if (variant.isBlank()) {
                continue;
            }
            int colon = variant.indexOf(':');
            String label = colon < 0 ? "" : variant.substring(0, colon).trim();
            Map<String, String> options = colon < 0 ? Map.of() : options(variant.substring(colon + 1), ";", "variants");
            if (!label.matches("[A-Za-z0-9._-]+") || options.isEmpty() || variants.containsKey(label)
                    || options.keySet().stream().anyMatch(k -> k.contains(":"))) {
                throw new IllegalArgumentException("--variants has '" + variant.trim() + "'; expected label:key=value;key=value "
                        + "with distinct labels of letters, digits, '.', '_' or '-', variants separated by |");
            }
            variants.put(label, options);
        }
        return Collections.unmodifiableMap(variants);
    }

    /** The offered rates; "0" (or nothing) means "derive from the throughput runs": an empty list. */
    private static List<Double> rates(String list) {
        try {
            List<Double> rates = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(Double::parseDouble).filter(r -> r != 0).toList();
            if (rates.stream().allMatch(r -> r > 0)) {
                return rates;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed values
        }
        throw new IllegalArgumentException("--rate is '" + list + "'; expected 0 or comma-separated records/s > 0");
    }

    private static Map<String, String> jobOptions(String list) {
        return options(list, ",", "job-options");
    }

    private static Map<String, String> options(String list, String separator, String flag) {
        Map<String, String> options = new HashMap<>();
        for (String pair : list.split(separator)) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--" + flag + " has '" + pair.trim() + "'; expected key=value pairs separated by "
                        + separator);
            }
            options.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return Map.copyOf(options);
    }

    private static int nonNegative(Map<String, String> v, String key) {
        try {
            int n = Integer.parseInt(v.get(key));
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed values
        }
        throw new IllegalArgumentException("--" + key + " is '" + v.get(key) + "'; expected an integer >= 0");
    }

    private static int positive(Map<String, String> v, String key) {
        try {
            int n = Integer.parseInt(v.get(key));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed values
        }
        throw new IllegalArgumentException("--" + key + " is '" + v.get(key) + "'; expected a positive integer");
    }
}
