package io.tcphealth.api.v1alpha1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One policy of the invalid set (src/test/resources/invalid), with the reasons its {@code # expect: <path>:
 * <words>} lines name. A {@code # schema: accepts} line marks a policy only the operator and the agent can
 * refuse, because the schema cannot express its rule. Every entry point is tested against the same files.
 *
 * @param file the policy file
 * @param expectations what every entry point must report
 * @param schemaAccepts true when the API server's schema lets it through
 */
public record InvalidPolicy(Path file, List<Expectation> expectations, boolean schemaAccepts) {

    private static final String EXPECT = "# expect: ";

    public static List<InvalidPolicy> all() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(p -> p.toString().endsWith(".yaml"))
                    .sorted()
                    .map(InvalidPolicy::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder, from {@code tcphealth.invalidPolicies} when another module's tests read it. */
    public static Path directory() {
        String property = System.getProperty("tcphealth.invalidPolicies");
        if (property != null) {
            return Path.of(property);
        }
        try {
            return Path.of(InvalidPolicy.class.getResource("/invalid").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static InvalidPolicy read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return new InvalidPolicy(
                    file,
                    lines.stream()
                            .filter(l -> l.startsWith(EXPECT))
                            .map(l -> Expectation.parse(l.substring(EXPECT.length())))
                            .toList(),
                    lines.stream().anyMatch(l -> l.startsWith("# schema: accepts")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The expectations a field-by-field checker can meet: those naming a field (not the whole object). */
    public List<Expectation> fieldExpectations() {
        return expectations.stream().filter(e -> !e.path().isEmpty()).toList();
    }

    @Override
    public String toString() {
        return file.getFileName().toString();
    }

    /** {@code <path>: <words>}: a problem at exactly that field path whose message contains the words. */
    public record Expectation(String path, String words) {

        static Expectation parse(String text) {
            int colon = text.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException("Expectation is not '<path>: <words>': " + text);
            }
            return new Expectation(
                    text.substring(0, colon), text.substring(colon + 2).strip());
        }

        public boolean matches(String problemPath, String message) {
            return problemPath.equals(path) && message.contains(words);
        }

        /** A problem written as {@code <path>: <message>} that names this field (any message). */
        public boolean namesFieldOf(String problem) {
            return problem.startsWith(path + ":");
        }
    }
}
