package io.tcphealth.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** What a service account may do, from the rendered Roles, ClusterRoles and their bindings. */
final class Rbac {

    /** One permission: verb on group/resource, in a namespace (null: every namespace). */
    record Grant(String namespace, String group, String resource, String verb) {}

    private Rbac() {}

    static List<Grant> grantsOf(RenderedChart chart, String namespace, String serviceAccount) {
        List<Grant> grants = new ArrayList<>();
        for (String bindingKind : List.of("ClusterRoleBinding", "RoleBinding")) {
            for (JsonNode binding : chart.ofKind(bindingKind)) {
                if (!binds(binding, namespace, serviceAccount)) {
                    continue;
                }
                String roleKind = binding.path("roleRef").path("kind").asText();
                String roleName = binding.path("roleRef").path("name").asText();
                String scope = bindingKind.equals("RoleBinding")
                        ? binding.path("metadata").path("namespace").asText()
                        : null;
                JsonNode role = roleKind.equals("ClusterRole")
                        ? chart.get("ClusterRole", roleName)
                        : chart.get("Role", scope, roleName);
                for (JsonNode rule : role.path("rules")) {
                    for (JsonNode group : rule.path("apiGroups")) {
                        for (JsonNode resource : rule.path("resources")) {
                            for (JsonNode verb : rule.path("verbs")) {
                                grants.add(new Grant(scope, group.asText(), resource.asText(), verb.asText()));
                            }
                        }
                    }
                }
            }
        }
        return grants;
    }

    private static boolean binds(JsonNode binding, String namespace, String serviceAccount) {
        for (JsonNode subject : binding.path("subjects")) {
            if (subject.path("kind").asText().equals("ServiceAccount")
                    && subject.path("name").asText().equals(serviceAccount)
                    && subject.path("namespace").asText().equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    static List<JsonNode> rules(RenderedChart chart) {
        List<JsonNode> rules = new ArrayList<>();
        for (String kind : List.of("ClusterRole", "Role")) {
            chart.ofKind(kind).forEach(role -> role.path("rules").forEach(rules::add));
        }
        return rules;
    }
}
