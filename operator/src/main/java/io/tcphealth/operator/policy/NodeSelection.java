package io.tcphealth.operator.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * A policy's node selector matched against node labels. Its syntax is checked with the other policy rules
 * ({@link io.tcphealth.api.v1alpha1.validation.PolicyRules}) before any policy is merged.
 */
public final class NodeSelection {

    private NodeSelection() {}

    /** Whether a node with these labels is selected; a null or empty selector selects every node. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> nodeLabels = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(nodeLabels.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
                String actual = nodeLabels.get(expression.getKey());
                List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
                boolean ok = switch (expression.getOperator()) {
                    case "In" -> actual != null && values.contains(actual);
                    case "NotIn" -> actual == null || !values.contains(actual);
                    case "Exists" -> actual != null;
                    case "DoesNotExist" -> actual == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
