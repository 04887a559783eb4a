package io.tcphealth.chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few Dockerfile instructions the image tests read: FROM, ARG defaults, ENV, COPY and ENTRYPOINT. */
record Dockerfile(Path path, List<String> instructions) {

    private static final Pattern ARG = Pattern.compile("ARG (\\w+)=\"([^\"]*)\"");
    private static final Pattern ENV = Pattern.compile("ENV (\\w+)=\"([^\"]*)\"");

    static Dockerfile read(Path path) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(path)) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            current.append(line.strip());
            if (line.endsWith("\\")) {
                current.setLength(current.length() - 1);
                current.append(' ');
            } else {
                instructions.add(current.toString());
                current.setLength(0);
            }
        }
        return new Dockerfile(path, instructions);
    }

    /** The base image, with a ${ARG} reference replaced by that ARG's default (what a plain build uses). */
    String from() {
        return resolved(only("FROM ").substring(5).strip());
    }

    private String resolved(String value) {
        Matcher reference = Pattern.compile("\\$\\{(\\w+)}").matcher(value);
        return reference.replaceAll(m -> Matcher.quoteReplacement(argDefault(m.group(1))));
    }

    String argDefault(String name) {
        for (String instruction : instructions) {
            Matcher matcher = ARG.matcher(instruction);
            if (matcher.matches() && matcher.group(1).equals(name)) {
                return matcher.group(2);
            }
        }
        throw new AssertionError(path + " has no ARG " + name + " with a default");
    }

    /** An ENV value with ${ARG} references replaced by the ARG defaults. */
    String env(String name) {
        for (String instruction : instructions) {
            Matcher matcher = ENV.matcher(instruction);
            if (matcher.matches() && matcher.group(1).equals(name)) {
                return resolved(matcher.group(2));
            }
        }
        throw new AssertionError(path + " sets no ENV " + name);
    }

    /** Source and destination of each COPY, in order. */
    List<List<String>> copies() {
        return instructions.stream()
                .filter(i -> i.startsWith("COPY "))
                .map(i -> List.of(i.substring(5).strip().split("\\s+")))
                .toList();
    }

    /** Where the image puts a file of the build context. */
    String destinationOf(String source) {
        return copies().stream()
                .filter(c -> c.getFirst().equals(source))
                .map(c -> c.get(1))
                .findFirst()
                .orElseThrow(() -> new AssertionError(path + " does not copy " + source));
    }

    String entrypoint() {
        return only("ENTRYPOINT ").substring(11).strip();
    }

    String user() {
        return only("USER ").substring(5).strip();
    }

    private String only(String prefix) {
        List<String> found =
                instructions.stream().filter(i -> i.startsWith(prefix)).toList();
        if (found.size() != 1) {
            throw new AssertionError(path + ": expected one " + prefix.strip() + ", found " + found);
        }
        return found.getFirst();
    }
}
