package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcphealth.chart.Rbac.Grant;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RbacTest {

    private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");

    private final RenderedChart chart = RenderedChart.render(ChartRenderingTest.ALL_OPTIONS, Map.of());

    @Test
    void noRuleUsesAWildcardOrNamesSecrets() {
        List<JsonNode> rules = Rbac.rules(chart);
        assertThat(rules).isNotEmpty();
        for (JsonNode rule : rules) {
            for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames")) {
                rule.path(field)
                        .forEach(v -> assertThat(v.asText())
                                .as("%s in %s", field, rule)
                                .doesNotContain("*"));
            }
            rule.path("resources")
                    .forEach(r -> assertThat(r.asText()).as("rule %s", rule).doesNotStartWith("secrets"));
            assertThat(rule.has("nonResourceURLs")).as("rule %s", rule).isFalse();
        }
    }

    @Test
    void agentsReadTheirNodeAndWriteOnlyItsStatusPodEventsAndNothingElse() {
        List<Grant> agent = Rbac.grantsOf(chart, "ops-tcphealth-agents", "tcphealth-agent-sa");

        assertThat(agent).isNotEmpty();
        assertThat(agent).noneMatch(g -> g.resource().startsWith("tcphealthpolicies"));
        assertThat(agent)
                .noneMatch(g -> g.resource().equals("secrets") || g.resource().equals("configmaps"));
        List<String> writes = agent.stream()
                .filter(g -> WRITE_VERBS.contains(g.verb()))
                .map(g -> g.group() + "/" + g.resource() + ":" + g.verb())
                .distinct()
                .sorted()
                .toList();
        assertThat(writes)
                .containsExactly(
                        "/events:create",
                        "/events:patch",
                        "tcphealth.io/tcphealthnodes/status:patch",
                        "tcphealth.io/tcphealthnodes/status:update");
    }

    @Test
    void operatorManagesTheDaemonSetAndItsLeaseInTheNamespaceItIsToldToUse() {
        List<Grant> operator = Rbac.grantsOf(chart, "ops-tcphealth", "tcphealth-operator-sa");
        JsonNode env = chart.get("Deployment", "ops-tcphealth", "tcphealth-operator")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("env");
        String target = env(env, "TCPHEALTH_NAMESPACE");
        String events = env(env, "TCPHEALTH_EVENT_NAMESPACE");

        assertThat(target).isEqualTo("ops-tcphealth-agents");
        for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
            assertThat(operator).contains(new Grant(target, "apps", "daemonsets", verb));
        }
        for (String verb : List.of("get", "create", "update", "patch")) {
            assertThat(operator).contains(new Grant(target, "coordination.k8s.io", "leases", verb));
        }
        assertThat(operator).contains(new Grant(events, "", "events", "create"));
        assertThat(operator)
                .contains(
                        new Grant(null, "tcphealth.io", "tcphealthpolicies/status", "patch"),
                        new Grant(null, "tcphealth.io", "tcphealthnodes", "create"),
                        new Grant(null, "", "nodes", "watch"));
        // Cluster-wide the operator only reads nodes; it never writes them, nor anything outside its kinds.
        assertThat(operator)
                .filteredOn(g -> g.namespace() == null && WRITE_VERBS.contains(g.verb()))
                .allMatch(g -> g.group().equals("tcphealth.io"));
        assertThat(operator)
                .noneMatch(g -> g.resource().equals("tcphealthnodes/status") && WRITE_VERBS.contains(g.verb()));
    }

    @Test
    void everyRuleInTheTemplatesCarriesACommentSayingWhy() throws IOException {
        List<String> bare = new ArrayList<>();
        try (Stream<Path> templates = Files.list(ProjectFiles.chart().resolve("templates"))) {
            for (Path template :
                    templates.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                List<String> lines = Files.readAllLines(template);
                boolean inRules = false;
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.startsWith("rules:")) {
                        inRules = true;
                    } else if (!line.startsWith(" ") && !line.isBlank()) {
                        inRules = false;
                    }
                    if (inRules
                            && line.trim().startsWith("- apiGroups:")
                            && !lines.get(i - 1).trim().startsWith("#")) {
                        bare.add(template.getFileName() + ":" + (i + 1));
                    }
                }
            }
        }
        assertThat(bare).as("rules without a comment above them").isEmpty();
    }

    static String env(JsonNode env, String name) {
        for (JsonNode variable : env) {
            if (variable.path("name").asText().equals(name)) {
                return variable.path("value").asText();
            }
        }
        throw new AssertionError("No env " + name);
    }
}
