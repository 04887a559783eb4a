package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns the plugin's output into the committed CRD text. Three things differ from the plugin's file: printer
 * columns come in the order the kind declares them (the plugin sorts them by JSON path, which would put Age
 * first in {@code kubectl get}); the kind's {@code @JsonClassDescription} becomes the schema's top description
 * (the plugin leaves it out, and {@code kubectl explain <kind>} shows it); integral bounds are written as
 * integers. Everything else is the generated schema, unchanged.
 */
final class CommittedCrd {

    static final String HEADER = """
      # Generated from the Java types in crds/src/main/java/io/tcphealth/api/v1alpha1. Do not edit.
      # Regenerate both copies (crds/generated and charts/tcphealth/crds):
      #   mvn -B -ntp -pl crds verify -Dtcphealth.updateCrds
      """;

    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private CommittedCrd() {}

    static JsonNode tree(Class<? extends HasMetadata> kind, String generatedYaml) throws JsonProcessingException {
        JsonNode crd = YAML.readTree(generatedYaml);
        List<String> declared = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name)
                .toList();
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.get("additionalPrinterColumns") instanceof ArrayNode columns) {
                List<JsonNode> ordered = new ArrayList<>();
                columns.forEach(ordered::add);
                ordered.sort(Comparator.comparingInt(
                        column -> rank(declared, column.path("name").asText())));
                columns.removeAll();
                columns.addAll(ordered);
            }
        }
        JsonClassDescription description = kind.getAnnotation(JsonClassDescription.class);
        if (description != null) {
            for (JsonNode version : crd.path("spec").path("versions")) {
                if (version.path("schema").get("openAPIV3Schema") instanceof ObjectNode schema) {
                    ObjectNode described = CommittedCrd.YAML.createObjectNode().put("description", description.value());
                    described.setAll(schema);
                    ((ObjectNode) version.path("schema")).set("openAPIV3Schema", described);
                }
            }
        }
        integralBounds(crd);
        return crd;
    }

    static String render(Class<? extends HasMetadata> kind, String generatedYaml) throws JsonProcessingException {
        return HEADER + YAML.writeValueAsString(tree(kind, generatedYaml));
    }

    private static int rank(List<String> declared, String name) {
        int index = declared.indexOf(name);
        return index < 0 ? declared.size() : index;
    }

    private static void integralBounds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode value = field.getValue();
                boolean bound =
                        field.getKey().equals("minimum") || field.getKey().equals("maximum");
                if (bound && value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue())) {
                    field.setValue(LongNode.valueOf(value.longValue()));
                } else {
                    integralBounds(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(CommittedCrd::integralBounds);
        }
    }
}
