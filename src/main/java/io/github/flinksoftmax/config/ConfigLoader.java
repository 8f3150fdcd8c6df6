package io.github.flinksoftmax.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link JobConfig} from command-line arguments: {@code --job FILE} names a YAML job
 * definition (flat {@code a.b: v} keys or nested maps, as in Flink's {@code config.yaml}), and
 * any number of {@code --set key=value} override single keys. Values of the form
 * {@code ${env:NAME}} are left to the Kafka client's config providers; nothing here resolves or
 * logs secrets.
 */
public final class ConfigLoader {

    public static final String USAGE = "usage: --job <jobs/file.yaml> [--set key=value ...]";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {}

    /** Parses the arguments into a validated config; {@link ConfigException} on any problem. */
    public static JobConfig fromArgs(String... args) {
        return JobConfig.of(rawFromArgs(args));
    }

    /** The raw key/value map the arguments describe, before validation. */
    public static Map<String, Object> rawFromArgs(String... args) {
        Map<String, Object> raw = new LinkedHashMap<>();
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--job" -> raw.putAll(readYaml(Path.of(value(args, ++i, arg))));
                case "--set" -> {
                    String kv = value(args, ++i, arg);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new ConfigException("Invalid argument '--set " + kv + "': allowed: --set key=value");
                    }
                    overrides.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
                }
                default -> throw new ConfigException("Unknown argument '" + arg + "': " + USAGE);
            }
        }
        raw.putAll(overrides);
        return raw;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new ConfigException("Argument " + flag + " needs a value: " + USAGE);
        }
        return args[i];
    }

    /** Reads a YAML job file into flat dotted keys. */
    public static Map<String, Object> readYaml(Path file) {
        Object root;
        try {
            root = Files.size(file) == 0 ? null : YAML.readValue(file.toFile(), Object.class);
        } catch (IOException e) {
            throw new ConfigException("Cannot read job file '" + file + "': " + e.getMessage(), e);
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        if (root == null) {
            return flat;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException("Job file '" + file + "' must hold a YAML mapping of option keys to values");
        }
        flatten("", map, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out);
            } else if (v instanceof List<?> || v == null || v instanceof String
                    || v instanceof Number || v instanceof Boolean) {
                out.put(key, v);
            } else {
                throw new ConfigException("Invalid value for key '" + key + "': allowed: a scalar or a list");
            }
        }
    }
}
