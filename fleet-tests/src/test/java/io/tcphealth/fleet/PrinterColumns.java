package io.tcphealth.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The line {@code kubectl get} prints for an object: its CRD's printer columns evaluated on it (dotted paths and a type filter). */
final class PrinterColumns {
    private PrinterColumns() {}

    static Map<String, String> of(String crdResource, Object object) throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        CustomResourceDefinition crd;
        try (InputStream in = PrinterColumns.class.getClassLoader().getResourceAsStream(crdResource)) {
            crd = serialization.unmarshal(in, CustomResourceDefinition.class);
        }
        JsonNode json = new ObjectMapper().readTree(serialization.asJson(object));
        Map<String, String> columns = new LinkedHashMap<>();
        for (CustomResourceColumnDefinition c :
                crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns()) {
            columns.put(c.getName(), value(json, c.getJsonPath()));
        }
        return columns;
    }

    private static String value(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.substring(1).split("\\.(?![^\\[]*\\])")) {
            int filter = part.indexOf("[?(@.type==\"");
            if (filter >= 0) {
                String type = part.substring(filter + 12, part.indexOf('"', filter + 12));
                JsonNode list = node.path(part.substring(0, filter));
                node = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
                for (JsonNode item : list) {
                    if (type.equals(item.path("type").asText())) {
                        node = item;
                    }
                }
            } else {
                node = node.path(part);
            }
        }
        return node.isMissingNode() || node.isNull() ? "" : node.asText();
    }
}
