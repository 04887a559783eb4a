package io.tcphealth.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads rendered documents as typed Kubernetes objects and reports every field the Kubernetes model does
 * not know: a misspelt or misplaced key that the API server would drop or reject.
 */
final class KubernetesObjects {

    /** Kinds from other projects' CRDs, which fabric8 has no model for; their shape is checked by tests. */
    static final Set<String> CUSTOM_KINDS = Set.of("ServiceMonitor", "PodMonitor");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper STRICT =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private KubernetesObjects() {}

    /**
     * Problems of one document: empty when it is a valid object of a known kind with only known fields.
     */
    static List<String> problems(JsonNode document) {
        String kind = document.path("kind").asText();
        String where = kind + "/" + document.path("metadata").path("name").asText();
        List<String> problems = new ArrayList<>();
        if (document.path("apiVersion").asText().isEmpty() || kind.isEmpty()) {
            problems.add(where + ": no apiVersion or kind");
            return problems;
        }
        if (document.path("metadata").path("name").asText().isEmpty()) {
            problems.add(where + ": no metadata.name");
        }
        if (kind.equals("TcpHealthPolicy")) {
            try {
                STRICT.treeToValue(document.path("spec"), TcpHealthPolicySpec.class);
            } catch (Exception e) {
                problems.add(where + ": spec does not match the TcpHealthPolicy type: " + e.getMessage());
            }
            return problems;
        }
        HasMetadata typed;
        try {
            typed = SERIALIZATION.unmarshal(document.toString());
        } catch (RuntimeException e) {
            problems.add(where + ": not a valid object: " + e.getMessage());
            return problems;
        }
        if (typed instanceof GenericKubernetesResource && !CUSTOM_KINDS.contains(kind)) {
            problems.add(where + ": kind " + document.path("apiVersion").asText() + " " + kind
                    + " is unknown to the Kubernetes model");
            return problems;
        }
        if (!(typed instanceof GenericKubernetesResource)) {
            unknownFields(typed, where, problems, new IdentityHashMap<>());
        }
        return problems;
    }

    /** Walks the model's getters; fabric8 keeps fields it does not know in additionalProperties. */
    private static void unknownFields(Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown fields " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3))
                    + getter.getName().substring(4);
            unknownFields(child, path + "." + field, problems, seen);
        }
    }
}
