package io.tcphealth.agent.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a {@code TcpHealthPolicy} from a YAML (or JSON) file: the same document that would be
 * applied to a cluster. Unknown fields are errors, not ignored: a misspelt {@code mode} must not
 * quietly fall back to another mode.
 */
public final class PolicyFile {
    /** A policy is a few KiB; anything this big is not one. */
    static final int MAX_BYTES = 1024 * 1024;

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
    private final PolicyValidator validator = new PolicyValidator();

    /** Reads, parses and validates. */
    public AgentPolicy load(Path file) throws IOException, PolicyException {
        return validator.validate(file.toString(), read(file));
    }

    /** Reads and parses, without the validation. */
    public TcpHealthPolicy read(Path file) throws IOException, PolicyException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new PolicyException(file.toString(), List.of("larger than " + MAX_BYTES + " bytes: not a policy"));
        }
        return parse(file.toString(), bytes);
    }

    TcpHealthPolicy parse(String source, byte[] bytes) throws PolicyException {
        JsonNode tree;
        try {
            tree = yaml.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new PolicyException(source, List.of("not valid YAML: " + e.getOriginalMessage() + location(e)));
        } catch (IOException e) {
            throw new PolicyException(source, List.of("cannot be read: " + e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw new PolicyException(source, List.of("is empty or not a YAML mapping"));
        }
        String apiVersion = tree.path("apiVersion").asText("");
        String kind = tree.path("kind").asText("");
        String wantVersion = TcpHealthPolicy.GROUP + "/" + TcpHealthPolicy.VERSION;
        if (!apiVersion.equals(wantVersion) || !kind.equals("TcpHealthPolicy")) {
            throw new PolicyException(source, List.of("apiVersion/kind: expected " + wantVersion + " TcpHealthPolicy, got '"
                    + apiVersion + "' '" + kind + "'"));
        }
        try {
            return yaml.treeToValue(tree, TcpHealthPolicy.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
            throw new PolicyException(source, List.of(path(e) + ": unknown field" + known));
        } catch (InvalidFormatException e) {
            String allowed = e.getTargetType() != null && e.getTargetType().isEnum()
                    ? "; one of " + Arrays.stream(e.getTargetType().getEnumConstants()).map(String::valueOf)
                            .collect(Collectors.joining(", "))
                    : "";
            throw new PolicyException(source, List.of(path(e) + ": '" + e.getValue() + "' is not a valid "
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
