package io.github.flinksoftmax.local;

import io.github.flinksoftmax.config.ConfigException;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link LocalRun}: its own flags, and the {@code --job}/{@code --set}
 * arguments that go on to the job's {@link io.github.flinksoftmax.config.ConfigLoader} as they
 * are. Parsing only; nothing here touches the network or the disk.
 *
 * @param jobArgs {@code --job FILE} and every {@code --set key=value}, in order
 * @param bootstrapServers an existing cluster to use, or {@code null} to start a local broker
 * @param records stop after this many records came out (output plus dead letters); 0 runs until Ctrl-C
 * @param rate records per second the sample producer writes; 0 turns it off
 */
record LocalRunArgs(List<String> jobArgs, String bootstrapServers, long records, int kafkaPort, int webPort,
        int rate) {

    static final String DEFAULT_JOB = "jobs/demo.yaml";

    static final String USAGE = String.join("\n",
            "usage: LocalRun [--job FILE] [--records N] [--bootstrap-servers HOST:PORT] [--set key=value ...]",
            "                [--kafka-port PORT] [--web-port PORT] [--rate RECORDS_PER_SECOND]",
            "  --job FILE                 job definition (default " + DEFAULT_JOB + ")",
            "  --records N                stop after N records came out (output + dead letters); default: run until Ctrl-C",
            "  --bootstrap-servers H:P    use this Kafka cluster and start no broker; its security settings go in --set kafka.*=...",
            "  --set key=value            override a job option, or a Kafka client property as kafka.<property>",
            "  --kafka-port PORT          port of the local broker (default 9092)",
            "  --web-port PORT            port of the Flink web UI and REST API (default 8081)",
            "  --rate N                   sample records per second (default 200); 0 sends none, to feed your own");

    static LocalRunArgs parse(String... args) {
        List<String> jobArgs = new ArrayList<>();
        boolean jobGiven = false;
        String bootstrap = null;
        long records = 0;
        int kafkaPort = 9092;
        int webPort = 8081;
        int rate = 200;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--job" -> {
                    jobArgs.add(flag);
                    jobArgs.add(value(args, ++i, flag));
                    jobGiven = true;
                }
                case "--set" -> {
                    jobArgs.add(flag);
                    jobArgs.add(value(args, ++i, flag));
                }
                case "--bootstrap-servers" -> bootstrap = value(args, ++i, flag);
                case "--records" -> records = number(flag, value(args, ++i, flag), 1, Long.MAX_VALUE);
                case "--kafka-port" -> kafkaPort = (int) number(flag, value(args, ++i, flag), 1, 65535);
                case "--web-port" -> webPort = (int) number(flag, value(args, ++i, flag), 1, 65535);
                case "--rate" -> rate = (int) number(flag, value(args, ++i, flag), 0, 100_000);
                default -> throw new ConfigException("Unknown argument '" + flag + "'\n" + USAGE);
            }
        }
        if (!jobGiven) {
            jobArgs.add(0, "--job");
            jobArgs.add(1, DEFAULT_JOB);
        }
        return new LocalRunArgs(List.copyOf(jobArgs), bootstrap, records, kafkaPort, webPort, rate);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new ConfigException("Argument " + flag + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static long number(String flag, String text, long min, long max) {
        try {
            long n = Long.parseLong(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new ConfigException("Invalid value '" + text + "' for " + flag + ": allowed: an integer from "
                + min + " to " + max);
    }
}
