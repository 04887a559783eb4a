package io.tcphealth.api.v1alpha1.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A policy's node selector, checked beyond what the schema can say: the schema accepts any label text, but the
 * agent DaemonSet's node affinity is built from every selector, and the API server would reject the whole
 * DaemonSet for one bad selector.
 */
final class NodeSelectorRules {

    // Label keys: optional DNS-subdomain prefix and a name of at most 63 characters; values at most 63.
    private static final Pattern KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private NodeSelectorRules() {}

    /** What is wrong with the selector at {@code path}, one sentence per problem; empty when it can be honoured. */
    static List<String> problems(String path, LabelSelector selector) {
        List<String> problems = new ArrayList<>();
        if (selector == null) {
            return problems;
        }
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((key, value) -> {
                checkKey(path + ".matchLabels", key, problems);
                if (value == null || !VALUE.matcher(value).matches()) {
                    problems.add(path + ".matchLabels['" + key + "']: '" + value + "' is not a valid label value");
                }
            });
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        for (int i = 0; expressions != null && i < expressions.size(); i++) {
            LabelSelectorRequirement expression = expressions.get(i);
            String where = path + ".matchExpressions[" + i + "]";
            checkKey(where + ".key", expression.getKey(), problems);
            List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
            String operator = String.valueOf(expression.getOperator());
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        problems.add(where + ": operator " + operator + " needs at least one value");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        problems.add(where + ": operator " + operator + " takes no values");
                    }
                }
                default ->
                    problems.add(where + ".operator: '" + operator + "' is not one of In, NotIn, Exists, DoesNotExist");
            }
            for (String value : values) {
                if (value == null || !VALUE.matcher(value).matches()) {
                    problems.add(where + ".values: '" + value + "' is not a valid label value");
                }
            }
        }
        return problems;
    }

    private static void checkKey(String where, String key, List<String> problems) {
        if (key == null || key.length() > 316 || !KEY.matcher(key).matches()) {
            problems.add(where + ": '" + key + "' is not a valid label key");
        }
    }
}
