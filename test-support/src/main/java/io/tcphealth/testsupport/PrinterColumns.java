package io.tcphealth.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code kubectl get} shows for an object, from the printer columns of its generated CRD. Understands
 * the JSONPath forms the CRDs use: dotted fields and a filter on {@code type} in a list.
 */
public final class PrinterColumns {

    private static final Pattern FILTER = Pattern.compile("([\\w.]+)\\[\\?\\(@\\.type==\"(\\w+)\"\\)\\]\\.(\\w+)");

    private PrinterColumns() {}

    /**
     * Each column's name and the value kubectl shows for {@code object}, in the CRD's order.
     *
     * @param crdResource the class-path resource of the generated CRD, such as
     *     {@code META-INF/fabric8/tcphealthpolicies.tcphealth.io-v1.yml}
     */
    public static Map<String, String> of(String crdResource, Object object) throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        CustomResourceDefinition crd;
        try (InputStream in = PrinterColumns.class.getClassLoader().getResourceAsStream(crdResource)) {
            if (in == null) {
                throw new IOException("No CRD " + crdResource + " on the class path");
            }
            crd = serialization.unmarshal(in, CustomResourceDefinition.class);
        }
        JsonNode json = new ObjectMapper().readTree(serialization.asJson(object));
        Map<String, String> columns = new LinkedHashMap<>();
        for (CustomResourceColumnDefinition column : columns(crd)) {
            columns.put(column.getName(), evaluate(json, column.getJsonPath()));
        }
        return columns;
    }

    /** The header {@code kubectl get} prints for the kind of the CRD in {@code crdFile}: NAME, then each column's name in capitals. */
    public static List<String> header(Path crdFile) throws IOException {
        CustomResourceDefinition crd;
        try (InputStream in = Files.newInputStream(crdFile)) {
            crd = new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        }
        List<String> header = new ArrayList<>(List.of("NAME"));
        for (CustomResourceColumnDefinition column : columns(crd)) {
            header.add(column.getName().toUpperCase(Locale.ROOT));
        }
        return header;
    }

    private static List<CustomResourceColumnDefinition> columns(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns();
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
