package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The ValidatingAdmissionPolicy the chart ships, evaluated the way the API server does: resource rules,
 * then match conditions, then variables, then every validation in order (the first false one denies,
 * with its message or message expression).
 */
class AdmissionPolicyTest {

    private static final String AGENT = "system:serviceaccount:tcphealth-agents:tcphealth-agent";
    private static final String NODE_CLAIM = "authentication.kubernetes.io/node-name";

    private final RenderedChart chart = RenderedChart.render(Map.of());
    private final JsonNode policy = chart.get("ValidatingAdmissionPolicy", "tcphealth-agent-own-node");

    @Test
    void agentWritesItsOwnNodesStatus() throws Exception {
        assertThat(decide(request("UPDATE", "tcphealthnodes", "status", "node-a", AGENT, List.of("node-a"))))
                .isEqualTo(Decision.allowed());
    }

    @Test
    void agentCannotWriteAnotherNodesStatus() throws Exception {
        Decision decision = decide(request("UPDATE", "tcphealthnodes", "status", "node-b", AGENT, List.of("node-a")));

        assertThat(decision.denial())
                .hasValue("the tcphealth agent on node node-a may write only TcpHealthNode node-a, not node-b");
    }

    @Test
    void agentWithoutANodeClaimIsDenied() throws Exception {
        Map<String, Object> noExtra = request("UPDATE", "tcphealthnodes", "status", "node-a", AGENT, null);
        Map<String, Object> otherExtra = request("UPDATE", "tcphealthnodes", "status", "node-a", AGENT, null);
        userInfo(otherExtra).put("extra", Map.of("authentication.kubernetes.io/pod-name", List.of("agent-x")));
        Map<String, Object> twoNodes =
                request("UPDATE", "tcphealthnodes", "status", "node-a", AGENT, List.of("node-a", "node-b"));

        for (Map<String, Object> request : List.of(noExtra, otherExtra, twoNodes)) {
            assertThat(decide(request).denial()).get().asString().contains("pod-bound service-account token");
        }
    }

    @Test
    void theObjectItselfIsCoveredAsWellAsItsStatus() throws Exception {
        assertThat(decide(request("UPDATE", "tcphealthnodes", "", "node-b", AGENT, List.of("node-a")))
                        .denial())
                .isPresent();
        assertThat(decide(request("DELETE", "tcphealthnodes", "", "node-b", AGENT, List.of("node-a")))
                        .denial())
                .isPresent();
        assertThat(decide(request("CREATE", "tcphealthnodes", "", "node-b", AGENT, List.of("node-a")))
                        .denial())
                .isPresent();
        assertThat(decide(request("UPDATE", "tcphealthnodes", "", "node-a", AGENT, List.of("node-a"))))
                .isEqualTo(Decision.allowed());
    }

    @Test
    void agentCannotWritePolicies() throws Exception {
        assertThat(decide(request("UPDATE", "tcphealthpolicies", "", "checkout", AGENT, List.of("node-a")))
                        .denial())
                .hasValue("tcphealth agents may not write TcpHealthPolicies");
        assertThat(decide(request("UPDATE", "tcphealthpolicies", "status", "checkout", AGENT, List.of("node-a")))
                        .denial())
                .isPresent();
    }

    @Test
    void operatorAndPeopleAreNotAffected() throws Exception {
        Map<String, Object> operator = request(
                "UPDATE",
                "tcphealthnodes",
                "",
                "node-b",
                "system:serviceaccount:tcphealth-system:tcphealth-operator",
                null);
        Map<String, Object> admin = request("UPDATE", "tcphealthnodes", "status", "node-b", "kubernetes-admin", null);
        // Another agent-like account with a node claim, in a different namespace, is not this chart's agent.
        Map<String, Object> lookalike = request(
                "UPDATE",
                "tcphealthnodes",
                "status",
                "node-b",
                "system:serviceaccount:default:tcphealth-agent",
                List.of("node-a"));

        assertThat(decide(operator)).isEqualTo(Decision.notMatched());
        assertThat(decide(admin)).isEqualTo(Decision.notMatched());
        assertThat(decide(lookalike)).isEqualTo(Decision.notMatched());
    }

    @Test
    void readsAndOtherResourcesAreOutsideThePolicy() throws Exception {
        assertThat(decide(request("UPDATE", "pods", "status", "node-b", AGENT, List.of("node-a"))))
                .isEqualTo(Decision.notMatched());
        assertThat(decide(request("CONNECT", "tcphealthnodes", "", "node-b", AGENT, List.of("node-a"))))
                .isEqualTo(Decision.notMatched());
    }

    @Test
    void everyExpressionCompilesAndTheBindingDenies() {
        assertThat(expressions()).isNotEmpty().allSatisfy(AdmissionExpression::new);
        assertThat(policy.path("spec").path("failurePolicy").asText()).isEqualTo("Fail");
        JsonNode binding = chart.get("ValidatingAdmissionPolicyBinding", "tcphealth-agent-own-node");
        assertThat(binding.path("spec").path("policyName").asText()).isEqualTo("tcphealth-agent-own-node");
        assertThat(binding.path("spec").path("validationActions").get(0).asText())
                .isEqualTo("Deny");
    }

    @Test
    void aRenamedAgentAccountMovesThePolicyWithIt() throws Exception {
        RenderedChart renamed = RenderedChart.render(ChartRenderingTest.ALL_OPTIONS, Map.of());
        JsonNode renamedPolicy = renamed.get("ValidatingAdmissionPolicy", "tcphealth-agent-own-node");
        String user = "system:serviceaccount:ops-tcphealth-agents:tcphealth-agent-sa";

        assertThat(decide(
                                renamedPolicy,
                                request("UPDATE", "tcphealthnodes", "status", "node-b", user, List.of("node-a")))
                        .denial())
                .isPresent();
        assertThat(decide(
                        renamedPolicy,
                        request("UPDATE", "tcphealthnodes", "status", "node-b", AGENT, List.of("node-a"))))
                .isEqualTo(Decision.notMatched());
    }

    record Decision(boolean matched, Optional<String> denial) {
        static Decision notMatched() {
            return new Decision(false, Optional.empty());
        }

        static Decision allowed() {
            return new Decision(true, Optional.empty());
        }
    }

    private Decision decide(Map<String, Object> request) throws CelEvaluationException {
        return decide(policy, request);
    }

    private static Decision decide(JsonNode policy, Map<String, Object> request) throws CelEvaluationException {
        JsonNode spec = policy.path("spec");
        if (!matchesRules(spec.path("matchConstraints").path("resourceRules"), request)) {
            return Decision.notMatched();
        }
        for (JsonNode condition : spec.path("matchConditions")) {
            if (!Boolean.TRUE.equals(
                    new AdmissionExpression(condition.path("expression").asText()).evaluate(request, Map.of()))) {
                return Decision.notMatched();
            }
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        for (JsonNode variable : spec.path("variables")) {
            variables.put(
                    variable.path("name").asText(),
                    new AdmissionExpression(variable.path("expression").asText()).evaluate(request, variables));
        }
        for (JsonNode validation : spec.path("validations")) {
            Object result =
                    new AdmissionExpression(validation.path("expression").asText()).evaluate(request, variables);
            if (!Boolean.TRUE.equals(result)) {
                String message = validation.has("messageExpression")
                        ? (String) new AdmissionExpression(
                                        validation.path("messageExpression").asText())
                                .evaluate(request, variables)
                        : validation.path("message").asText();
                return new Decision(true, Optional.of(message.strip()));
            }
        }
        return Decision.allowed();
    }

    private static boolean matchesRules(JsonNode rules, Map<String, Object> request) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resource = (Map<String, Object>) request.get("resource");
        String sub = (String) request.get("subResource");
        String name = sub.isEmpty() ? (String) resource.get("resource") : resource.get("resource") + "/" + sub;
        for (JsonNode rule : rules) {
            if (contains(rule.path("apiGroups"), (String) resource.get("group"))
                    && contains(rule.path("operations"), (String) request.get("operation"))
                    && contains(rule.path("resources"), name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode item : list) {
            if (item.asText().equals(value) || item.asText().equals("*")) {
                return true;
            }
        }
        return false;
    }

    private List<String> expressions() {
        List<String> out = new ArrayList<>();
        JsonNode spec = policy.path("spec");
        spec.path("matchConditions").forEach(c -> out.add(c.path("expression").asText()));
        spec.path("variables").forEach(v -> out.add(v.path("expression").asText()));
        spec.path("validations").forEach(v -> {
            out.add(v.path("expression").asText());
            if (v.has("messageExpression")) {
                out.add(v.path("messageExpression").asText());
            }
        });
        return out;
    }

    private static Map<String, Object> request(
            String operation,
            String resource,
            String subResource,
            String name,
            String username,
            List<String> nodeClaim) {
        Map<String, Object> userInfo = new HashMap<>();
        userInfo.put("username", username);
        userInfo.put("groups", List.of("system:serviceaccounts", "system:authenticated"));
        if (nodeClaim != null) {
            userInfo.put(
                    "extra",
                    Map.of(NODE_CLAIM, nodeClaim, "authentication.kubernetes.io/pod-name", List.of("agent-x")));
        }
        Map<String, Object> request = new HashMap<>();
        request.put("operation", operation);
        request.put("name", name);
        request.put(
                "resource",
                Map.of(
                        "group",
                        resource.equals("pods") ? "" : "tcphealth.io",
                        "version",
                        "v1alpha1",
                        "resource",
                        resource));
        request.put("subResource", subResource);
        request.put("userInfo", userInfo);
        return request;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> userInfo(Map<String, Object> request) {
        return (Map<String, Object>) request.get("userInfo");
    }
}
