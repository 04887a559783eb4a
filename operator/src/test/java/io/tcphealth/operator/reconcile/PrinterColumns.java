package io.tcphealth.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code kubectl get} shows for an object, from the printer columns of its generated CRD. Understands
 * the JSONPath forms the CRDs use: dotted fields and a filter on {@code type} in a list.
 */
final class PrinterColumns {

    private static final Pattern FILTER = Pattern.compile("([\\w.]+)\\[\\?\\(@\\.type==\"(\\w+)\"\\)\\]\\.(\\w+)");

    private PrinterColumns() {}

    static Map<String, String> of(String crdResource, Object object) throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        CustomResourceDefinition crd;
        try (InputStream in = PrinterColumns.class.getClassLoader().getResourceAsStream(crdResource)) {
            crd = serialization.unmarshal(in, CustomResourceDefinition.class);
        }
        JsonNode json = new ObjectMapper().readTree(serialization.asJson(object));
        Map<String, String> columns = new LinkedHashMap<>();
        for (CustomResourceColumnDefinition column :
                crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns()) {
            columns.put(column.getName(), evaluate(json, column.getJsonPath()));
        }
        return columns;
    }

    private static String evaluate(JsonNode root, String path) {
        Matcher filter = FILTER.matcher(path.substring(1));
        if (filter.matches()) {
            JsonNode list = walk(root, filter.group(1));
            for (JsonNode item : list) {
                if (filter.group(2).equals(item.path("type").asText())) {
                    return item.path(filter.group(3)).asText();
                }
            }
            return "";
        }
        JsonNode node = walk(root, path.substring(1));
        return node.isMissingNode() || node.isNull() ? "" : node.asText();
    }

    private static JsonNode walk(JsonNode root, String dotted) {
        JsonNode node = root;
        for (String part : dotted.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }
}
