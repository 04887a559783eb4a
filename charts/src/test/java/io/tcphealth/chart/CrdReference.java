package io.tcphealth.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * docs/crd-reference.md, written from the committed CRDs: every field with its type, default, bounds and
 * description, so the page cannot fall behind the schema the API server enforces.
 */
final class CrdReference {

    static final List<String> CRDS = List.of("tcphealthpolicies.tcphealth.io.yaml", "tcphealthnodes.tcphealth.io.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CrdReference() {}

    static String render(Path crdDirectory) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# Custom resource reference\n\n")
                .append(
                        "<!-- Generated from charts/tcphealth/crds by the chart module's CrdReferenceTest; do not edit.\n")
                .append("     Regenerate: mvn -B -ntp -pl charts -am verify -Dtest=CrdReferenceTest ")
                .append("-Dsurefire.failIfNoSpecifiedTests=false -Dtcphealth.updateDocs -->\n\n")
                .append(
                        "Both kinds are in group `tcphealth.io`, version `v1alpha1`, and cluster-scoped. Every field below\n")
                .append(
                        "also reaches `kubectl explain`, for example `kubectl explain tcphealthpolicy.spec.remediation`.\n")
                .append(
                        "Durations are written like `30s`, `5m`, `1h` (units `ms`, `s`, `m`, `h`). \"Rules\" are the CEL\n")
                .append("checks the API server applies; a policy that breaks one is rejected with that message.\n");
        for (String file : CRDS) {
            JsonNode crd = YAML.readTree(crdDirectory.resolve(file).toFile());
            JsonNode names = crd.path("spec").path("names");
            JsonNode version = crd.path("spec").path("versions").get(0);
            JsonNode schema = version.path("schema").path("openAPIV3Schema");
            out.append("\n## ").append(names.path("kind").asText()).append("\n\n");
            out.append(text(schema.path("description"))).append("\n\n");
            out.append("- Resource: `")
                    .append(names.path("plural").asText())
                    .append(".")
                    .append(crd.path("spec").path("group").asText())
                    .append("`, scope ")
                    .append(crd.path("spec").path("scope").asText())
                    .append("\n");
            List<String> shortNames = new ArrayList<>();
            names.path("shortNames").forEach(n -> shortNames.add("`" + n.asText() + "`"));
            out.append("- Short names: ").append(String.join(", ", shortNames)).append("\n");
            out.append("- Status subresource: ")
                    .append(version.path("subresources").has("status") ? "yes" : "no")
                    .append("\n");
            out.append("\n`kubectl get ").append(names.path("plural").asText()).append("` columns:\n\n");
            out.append("| column | value | meaning |\n| --- | --- | --- |\n");
            for (JsonNode column : version.path("additionalPrinterColumns")) {
                out.append("| ")
                        .append(column.path("name").asText())
                        .append(" | `")
                        .append(cell(column.path("jsonPath").asText()))
                        .append("` | ")
                        .append(cell(column.path("description").asText("-")))
                        .append(" |\n");
            }
            out.append(
                    "\n| field | type | default | bounds and rules | description |\n| --- | --- | --- | --- | --- |\n");
            for (String part : List.of("spec", "status")) {
                if (schema.path("properties").has(part)) {
                    fields(part, schema.path("properties").path(part), out);
                }
            }
        }
        return out.toString();
    }

    /** Every field path of the schema, depth first, in the schema's order. */
    static List<String> paths(JsonNode crd) {
        List<String> paths = new ArrayList<>();
        JsonNode schema =
                crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
        for (String part : List.of("spec", "status")) {
            if (schema.path("properties").has(part)) {
                collect(part, schema.path("properties").path(part), paths);
            }
        }
        return paths;
    }

    private static void collect(String path, JsonNode node, List<String> paths) {
        paths.add(path);
        if (node.has("properties")) {
            node.path("properties").properties().forEach(p -> collect(path + "." + p.getKey(), p.getValue(), paths));
        } else if (node.path("items").has("properties")) {
            node.path("items")
                    .path("properties")
                    .properties()
                    .forEach(p -> collect(path + "[]." + p.getKey(), p.getValue(), paths));
        }
    }

    private static void fields(String path, JsonNode node, StringBuilder out) {
        out.append("| `")
                .append(path)
                .append("` | ")
                .append(type(node))
                .append(" | ")
                .append(defaultOf(node))
                .append(" | ")
                .append(bounds(node))
                .append(" | ")
                .append(cell(text(node.path("description"))))
                .append(" |\n");
        if (node.has("properties")) {
            for (Map.Entry<String, JsonNode> p : node.path("properties").properties()) {
                fields(path + "." + p.getKey(), p.getValue(), out);
            }
        } else if (node.path("items").has("properties")) {
            for (Map.Entry<String, JsonNode> p :
                    node.path("items").path("properties").properties()) {
                fields(path + "[]." + p.getKey(), p.getValue(), out);
            }
        }
    }

    private static String type(JsonNode node) {
        String type =
                node.path("type").asText(node.path("x-kubernetes-int-or-string").asBoolean() ? "int or string" : "any");
        if (type.equals("array")) {
            JsonNode items = node.path("items");
            return "array of "
                    + (items.has("properties") ? "object" : items.path("type").asText("any"));
        }
        if (type.equals("object") && node.has("additionalProperties")) {
            return "map of " + node.path("additionalProperties").path("type").asText("any");
        }
        return type;
    }

    private static String defaultOf(JsonNode node) {
        if (!node.has("default")) {
            return "";
        }
        JsonNode value = node.path("default");
        return "`" + cell(value.isTextual() ? value.asText() : value.toString()) + "`";
    }

    private static String bounds(JsonNode node) {
        List<String> bounds = new ArrayList<>();
        if (node.has("minimum")) {
            bounds.add((node.path("exclusiveMinimum").asBoolean() ? "> " : "≥ ")
                    + node.path("minimum").asText());
        }
        if (node.has("maximum")) {
            bounds.add((node.path("exclusiveMaximum").asBoolean() ? "< " : "≤ ")
                    + node.path("maximum").asText());
        }
        if (node.has("enum")) {
            List<String> values = new ArrayList<>();
            node.path("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            bounds.add("one of " + String.join(", ", values));
        }
        JsonNode items = node.path("items");
        if (items.has("enum")) {
            List<String> values = new ArrayList<>();
            items.path("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            bounds.add("items one of " + String.join(", ", values));
        }
        if (items.has("minimum") || items.has("maximum")) {
            bounds.add("items " + items.path("minimum").asText("") + ".."
                    + items.path("maximum").asText(""));
        }
        if (node.has("minLength")) {
            bounds.add("length ≥ " + node.path("minLength").asText());
        }
        if (node.has("maxLength")) {
            bounds.add("length ≤ " + node.path("maxLength").asText());
        }
        if (node.has("pattern")) {
            bounds.add("pattern `" + node.path("pattern").asText() + "`");
        }
        if (node.has("minItems")) {
            bounds.add("≥ " + node.path("minItems").asText() + " items");
        }
        if (node.has("maxItems")) {
            bounds.add("≤ " + node.path("maxItems").asText() + " items");
        }
        if (node.path("x-kubernetes-list-type").asText().equals("set")) {
            bounds.add("no duplicates");
        }
        if (node.has("required")) {
            List<String> required = new ArrayList<>();
            node.path("required").forEach(r -> required.add("`" + r.asText() + "`"));
            bounds.add("requires " + String.join(", ", required));
        }
        for (JsonNode rule : node.path("x-kubernetes-validations")) {
            bounds.add("rule: " + rule.path("message").asText(rule.path("rule").asText()));
        }
        return cell(String.join("; ", bounds));
    }

    private static String text(JsonNode description) {
        return description.asText("").replace('\n', ' ').strip();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
