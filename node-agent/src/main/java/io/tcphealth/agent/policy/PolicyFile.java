package io.tcphealth.agent.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads {@code TcpHealthPolicy} documents from YAML (or JSON) files: the same documents that would be
 * applied to a cluster, one or several per file ({@code ---}, or a {@code kind: List}), or a directory of
 * such files. Unknown fields are errors, not ignored: a misspelt {@code mode} must not quietly fall back
 * to another mode.
 */
public final class PolicyFile {
    /** A policy is a few KiB; anything this big is not one. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final Pattern POLICY_FILE = Pattern.compile("[^.].*\\.(yaml|yml|json)");

    static {
        // The API types pull in fabric8's client classes, which log through SLF4J; with no binding in the
        // agent, SLF4J would print three lines of warnings on every command that reads a policy.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // 600.5 seconds is not a sysctl value; Jackson would otherwise cut it to 600 without a word.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    /** One policy document and where it was read: {@code FILE}, or {@code FILE (document 2)}. */
    public record Document(String source, TcpHealthPolicy policy) {}

    /**
     * Reads, checks and merges the policies at {@code path}: a file with one or more YAML documents, a
     * {@code kind: List} of policies, or a directory of such {@code .yaml}, {@code .yml} and {@code .json} files.
     */
    public PolicySet load(Path path) throws IOException, PolicyException {
        return PolicySet.of(path.toString(), readAll(path));
    }

    /** Every policy document at {@code path}, in file name and document order; nothing is left out. */
    public List<Document> readAll(Path path) throws IOException, PolicyException {
        if (!Files.isDirectory(path)) {
            return documents(path);
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(path)) {
            files = listed.filter(
                            f -> POLICY_FILE.matcher(f.getFileName().toString()).matches())
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new PolicyException(path.toString(), List.of("holds no .yaml, .yml or .json policy files"));
        }
        List<Document> all = new ArrayList<>();
        for (Path file : files) {
            all.addAll(documents(file));
        }
        return all;
    }

    /** What the files at {@code path} look like now: a change means the policies were edited. */
    public static Stamp stamp(Path path) {
        List<String> parts = new ArrayList<>();
        try (Stream<Path> listed = Files.isDirectory(path) ? Files.list(path) : Stream.of(path)) {
            for (Path f : listed.sorted().toList()) {
                parts.add(f.getFileName() + "@" + Files.getLastModifiedTime(f).toMillis() + "/" + Files.size(f));
            }
        } catch (IOException e) {
            parts.add("unreadable: " + e.getMessage());
        }
        return new Stamp(List.copyOf(parts));
    }

    /** @param files each policy file's name, modification time and size */
    public record Stamp(List<String> files) {}

    private List<Document> documents(Path file) throws IOException, PolicyException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new PolicyException(file.toString(), List.of("larger than " + MAX_BYTES + " bytes: not a policy"));
        }
        List<TcpHealthPolicy> policies = parseAll(file.toString(), bytes);
        List<Document> out = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            out.add(new Document(
                    policies.size() == 1 ? file.toString() : file + " (policy " + (i + 1) + ")", policies.get(i)));
        }
        return out;
    }

    /** Exactly one policy document. */
    TcpHealthPolicy parse(String source, byte[] bytes) throws PolicyException {
        List<TcpHealthPolicy> all = parseAll(source, bytes);
        if (all.size() != 1) {
            throw new PolicyException(source, List.of("holds " + all.size() + " policies, expected one"));
        }
        return all.getFirst();
    }

    /** Every document of a YAML stream, a {@code kind: List} read as its items; empty documents are skipped. */
    List<TcpHealthPolicy> parseAll(String source, byte[] bytes) throws PolicyException {
        List<JsonNode> trees = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(bytes)) {
            int n = 0;
            while (docs.hasNextValue()) {
                n++;
                JsonNode tree = docs.nextValue();
                if (tree == null || tree.isNull() || tree.isMissingNode()) {
                    continue;
                }
                if (!tree.isObject()) {
                    throw new PolicyException(source, List.of("document " + n + " is not a YAML mapping"));
                }
                if (tree.path("kind").asText("").equals("List")
                        && tree.path("apiVersion").asText("").equals("v1")) {
                    JsonNode items = tree.path("items");
                    if (!items.isArray()) {
                        throw new PolicyException(source, List.of("document " + n + ": a List needs its items"));
                    }
                    items.forEach(trees::add);
                } else {
                    trees.add(tree);
                }
            }
        } catch (JsonProcessingException e) {
            throw new PolicyException(source, List.of("not valid YAML: " + e.getOriginalMessage() + location(e)));
        } catch (IOException e) {
            throw new PolicyException(source, List.of("cannot be read: " + e.getMessage()));
        }
        if (trees.isEmpty()) {
            throw new PolicyException(source, List.of("is empty or not a YAML mapping"));
        }
        List<TcpHealthPolicy> out = new ArrayList<>();
        for (JsonNode tree : trees) {
            out.add(typed(source, tree));
        }
        return out;
    }

    private TcpHealthPolicy typed(String source, JsonNode tree) throws PolicyException {
        if (!tree.isObject()) {
            throw new PolicyException(source, List.of("a List item is not a YAML mapping"));
        }
        String apiVersion = tree.path("apiVersion").asText("");
        String kind = tree.path("kind").asText("");
        String wantVersion = TcpHealthPolicy.GROUP + "/" + TcpHealthPolicy.VERSION;
        if (!apiVersion.equals(wantVersion) || !kind.equals("TcpHealthPolicy")) {
            throw new PolicyException(
                    source,
                    List.of("apiVersion/kind: expected " + wantVersion + " TcpHealthPolicy, got '" + apiVersion + "' '"
                            + kind + "'"));
        }
        try {
            return yaml.treeToValue(tree, TcpHealthPolicy.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null
                    ? ""
                    : " (known: "
                            + e.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .collect(Collectors.joining(", "))
                            + ")";
            throw new PolicyException(source, List.of(path(e) + ": unknown field" + known));
        } catch (InvalidFormatException e) {
            String allowed = e.getTargetType() != null && e.getTargetType().isEnum()
                    ? "; one of "
                            + Arrays.stream(e.getTargetType().getEnumConstants())
                                    .map(String::valueOf)
                                    .collect(Collectors.joining(", "))
                    : "";
            throw new PolicyException(
                    source,
                    List.of(path(e) + ": '" + e.getValue() + "' is not a valid "
                            + e.getTargetType().getSimpleName() + allowed));
        } catch (JsonMappingException e) {
            throw new PolicyException(source, List.of(path(e) + ": " + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new PolicyException(source, List.of(e.getOriginalMessage()));
        }
    }

    /** "spec.remediation.killSockets.states[2]" from Jackson's path. */
    static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "(document)" : out.toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
    }
}
