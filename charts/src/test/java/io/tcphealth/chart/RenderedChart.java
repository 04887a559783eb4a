package io.tcphealth.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chart as {@code helm template} renders it: every document as a JSON tree, found by kind and name.
 * CRDs are left out (they are the crds module's; its tests check them).
 */
final class RenderedChart {

    static final String RELEASE = "tcphealth";
    /** Duplicate keys fail: the API server's YAML decoding rejects them too. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String text;
    private final List<JsonNode> documents;

    private RenderedChart(String text, List<JsonNode> documents) {
        this.text = text;
        this.documents = documents;
    }

    /** Renders with the chart's defaults plus the given {@code --set} values. */
    static RenderedChart render(Map<String, Object> sets) {
        return render(null, sets);
    }

    /** Renders with a values file (may be null) and {@code --set} values. */
    static RenderedChart render(Path valuesFile, Map<String, Object> sets) {
        return render(valuesFile, sets, "1.32.0");
    }

    /** Renders for a cluster of the given Kubernetes version. */
    static RenderedChart render(Path valuesFile, Map<String, Object> sets, String kubeVersion) {
        TemplateCommand command = new Helm(ProjectFiles.chart())
                .template()
                .withName(RELEASE)
                .withNamespace("default")
                .withKubeVersion(kubeVersion)
                .skipCrds();
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String text = command.call();
        return new RenderedChart(text, parse(text));
    }

    private static List<JsonNode> parse(String text) {
        List<JsonNode> out = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(text)) {
            for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (node != null && !node.isNull() && !node.isEmpty()) {
                    out.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template output is not YAML", e);
        }
        return out;
    }

    String text() {
        return text;
    }

    List<JsonNode> documents() {
        return documents;
    }

    List<JsonNode> ofKind(String kind) {
        return documents.stream()
                .filter(d -> kind.equals(d.path("kind").asText()))
                .toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream()
                .filter(d -> name.equals(d.path("metadata").path("name").asText()))
                .findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name)
                .orElseThrow(() -> new AssertionError("No " + kind + " " + name + " rendered; have "
                        + documents.stream()
                                .map(d -> d.path("kind").asText() + "/"
                                        + d.path("metadata").path("name").asText())
                                .toList()));
    }

    JsonNode get(String kind, String namespace, String name) {
        return ofKind(kind).stream()
                .filter(d -> name.equals(d.path("metadata").path("name").asText()))
                .filter(d ->
                        namespace.equals(d.path("metadata").path("namespace").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No " + kind + " " + namespace + "/" + name + " rendered"));
    }
}
