package io.github.flinksoftmax.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/Dockerfile read as its instructions (continuation lines joined, comments dropped), enough
 * to ask what a path inside the image holds: no Docker engine runs where the tests run.
 */
final class DockerfileInstructions {

    static final Path FILE = Path.of("deploy", "Dockerfile");

    /** {@code WORKDIR} of the flink images (apache/flink-docker, 2.2/scala_2.12-java17-ubuntu/Dockerfile). */
    static final String BASE_IMAGE_WORKDIR = "/opt/flink";

    /** One instruction: the keyword in upper case and the rest of the (joined) line. */
    record Instruction(String keyword, String arguments) {}

    /** One COPY: repository paths (relative to the build context, the repository root) to an image path. */
    record Copy(List<String> sources, String destination) {}

    private final List<Instruction> instructions;

    private DockerfileInstructions(List<Instruction> instructions) {
        this.instructions = instructions;
    }

    static DockerfileInstructions read() throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(FILE)) {
            String trimmed = line.strip();
            if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String joined = pending.toString().strip();
            pending.setLength(0);
            int space = joined.indexOf(' ');
            out.add(new Instruction(joined.substring(0, space).toUpperCase(), joined.substring(space + 1).strip()));
        }
        return new DockerfileInstructions(out);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    String baseImage() {
        return all("FROM").get(0).arguments().split("\\s+")[0];
    }

    List<Copy> copies() {
        List<Copy> out = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            List<String> words = new ArrayList<>(List.of(copy.arguments().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            out.add(new Copy(List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1)));
        }
        return out;
    }

    /**
     * The repository file a path in the image comes from, through a COPY of that file or of a
     * directory holding it (a destination ending in "/"); empty when no COPY puts anything there.
     */
    Optional<Path> repositoryPathOf(String imagePath) {
        for (Copy copy : copies()) {
            for (String source : copy.sources()) {
                String destination = copy.destination();
                if (destination.endsWith("/") && source.endsWith("/") && imagePath.startsWith(destination)) {
                    return Optional.of(Path.of(source, imagePath.substring(destination.length())));
                }
                if (imagePath.equals(destination)) {
                    return Optional.of(Path.of(source));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code -Dkey=value} arguments of the RUN that calls Flink's config-parser-utils.sh, split
     * into words the way that script passes them on: it expands them unquoted
     * ({@code local dynamic_args=${@:4}} ... {@code $dynamic_args} in bin/bash-java-utils.sh), so
     * each is split at whitespace.
     */
    List<String> configParserArgumentsAsTheScriptPassesThem() {
        Instruction run = all("RUN").stream().filter(i -> i.arguments().contains("config-parser-utils.sh"))
                .findFirst().orElseThrow(() -> new AssertionError("no RUN calls config-parser-utils.sh"));
        List<String> words = new ArrayList<>();
        Matcher dynamic = Pattern.compile("\"(-D[^\"]*)\"|(?<=\\s)(-D\\S+)").matcher(run.arguments());
        while (dynamic.find()) {
            String argument = dynamic.group(1) != null ? dynamic.group(1) : dynamic.group(2);
            words.addAll(List.of(argument.strip().split("\\s+")));
        }
        return words;
    }
}
