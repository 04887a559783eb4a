package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.tcphealth.testsupport.ProjectFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartRenderingTest {

    static final Path ALL_OPTIONS =
            Path.of("src/test/resources/all-options.yaml").toAbsolutePath();

    @Test
    void lintIsCleanEvenInStrictMode() {
        LintResult result = new Helm(ProjectFiles.chart()).lint().strict().call();

        assertThat(result.isFailed())
                .as("lint messages: %s", result.getMessages())
                .isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void defaultsRenderValidObjectsOfEveryKindTheInstallNeeds() {
        RenderedChart chart = RenderedChart.render(Map.of());

        assertValidObjects(chart);
        assertThat(chart.documents())
                .extracting(d -> d.path("kind").asText())
                .contains(
                        "Namespace",
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding",
                        "Deployment",
                        "Service",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding");
        assertThat(chart.ofKind("Namespace"))
                .extracting(n -> n.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("tcphealth-system", "tcphealth-agents");
        // Optional parts are off by default; the agent DaemonSet is the operator's, never the chart's.
        assertThat(chart.documents())
                .extracting(d -> d.path("kind").asText())
                .doesNotContain("ServiceMonitor", "PodMonitor", "ConfigMap", "TcpHealthPolicy", "DaemonSet");
    }

    @Test
    void everyOptionSwitchedOnRendersValidObjects() {
        RenderedChart chart = RenderedChart.render(ALL_OPTIONS, Map.of());

        assertValidObjects(chart);
        assertThat(chart.get("ServiceMonitor", "tcphealth-operator")
                        .path("metadata")
                        .path("namespace")
                        .asText())
                .isEqualTo("ops-tcphealth");
        assertThat(chart.get("PodMonitor", "tcphealth-agent")
                        .path("metadata")
                        .path("namespace")
                        .asText())
                .isEqualTo("ops-tcphealth-agents");
        JsonNode dashboard = chart.get("ConfigMap", "tcphealth-dashboard");
        assertThat(dashboard.path("metadata").path("namespace").asText()).isEqualTo("monitoring");
        assertThat(dashboard
                        .path("metadata")
                        .path("labels")
                        .path("grafana_dashboard")
                        .asText())
                .isEqualTo("1");
        assertThat(dashboard.path("data").path("tcphealth.json").asText()).contains("tcphealth_operator_nodes");
        JsonNode policy = chart.get("TcpHealthPolicy", "observe-checkout");
        assertThat(policy.path("spec").path("remediation").path("mode").asText())
                .isEqualTo("Observe");
        assertThat(policy.path("spec")
                        .path("nodeSelector")
                        .path("matchLabels")
                        .path("tcphealth.io/pool")
                        .asText())
                .isEqualTo("checkout");
        assertThat(policy.path("spec").path("scope").asText()).isEqualTo("AllNamespaces");
        assertThat(chart.get("Deployment", "ops-tcphealth", "tcphealth-operator")
                        .path("spec")
                        .path("replicas")
                        .asInt())
                .isEqualTo(2);
        assertThat(chart.get("Role", "default", "tcphealth-operator-events")).isNotNull();
    }

    @Test
    void admissionPolicyAndNamespacesCanBeLeftOut() {
        RenderedChart chart =
                RenderedChart.render(Map.of("admissionPolicy.enabled", false, "namespaces.create", false));

        assertValidObjects(chart);
        assertThat(chart.documents())
                .extracting(d -> d.path("kind").asText())
                .doesNotContain("Namespace", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    }

    @Test
    void theDefaultPolicyIsObserveWhateverIsSet() {
        // Nothing in the values can turn the chart's policy into one that changes nodes.
        assertThatThrownBy(() ->
                        RenderedChart.render(Map.of("defaultPolicy.enabled", true, "defaultPolicy.mode", "Enforce")))
                .hasMessageContaining("mode");
        RenderedChart chart = RenderedChart.render(Map.of("defaultPolicy.enabled", true));
        JsonNode policy = chart.get("TcpHealthPolicy", "observe");
        assertThat(policy.path("spec").path("remediation").path("mode").asText())
                .isEqualTo("Observe");
        assertThat(policy.path("spec").has("nodeSelector")).isFalse();
        assertValidObjects(chart);
    }

    @Test
    void clustersBefore130AreRefused() {
        // The admission policy API and the node claim in tokens arrived in 1.30.
        assertThatThrownBy(() -> RenderedChart.render(null, Map.of(), "1.29.9")).hasMessageContaining("kubeVersion");
        assertValidObjects(RenderedChart.render(null, Map.of(), "1.30.0"));
    }

    @Test
    void notesTellWhatToRunNext() throws java.io.IOException {
        String notes = java.nio.file.Files.readString(ProjectFiles.chart().resolve("templates/NOTES.txt"));

        assertThat(notes)
                .contains(
                        "kubectl get tcphealth",
                        "kubectl get thn",
                        "rollout status deployment/tcphealth-operator",
                        "examples/observe-all-nodes.yaml");
        assertThat(ProjectFiles.file("examples/observe-all-nodes.yaml")).exists();
    }

    static void assertValidObjects(RenderedChart chart) {
        assertThat(chart.documents()).isNotEmpty();
        List<String> problems = chart.documents().stream()
                .flatMap(d -> KubernetesObjects.problems(d).stream())
                .toList();
        assertThat(problems).isEmpty();
    }
}
