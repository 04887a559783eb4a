package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorDeploymentTest {

    private final RenderedChart chart = RenderedChart.render(Map.of());
    private final JsonNode pod = chart.get("Deployment", "tcphealth-system", "tcphealth-operator")
            .path("spec")
            .path("template")
            .path("spec");
    private final JsonNode container = pod.path("containers").get(0);

    @Test
    void operatorPodMeetsPodSecurityRestrictedInARestrictedNamespace() {
        assertThat(PodSecurity.restricted(pod)).isEmpty();
        JsonNode labels =
                chart.get("Namespace", "tcphealth-system").path("metadata").path("labels");
        assertThat(labels.path("pod-security.kubernetes.io/enforce").asText()).isEqualTo("restricted");
    }

    @Test
    void rootFilesystemIsReadOnlyWithAWritableTmp() {
        assertThat(container
                        .path("securityContext")
                        .path("readOnlyRootFilesystem")
                        .asBoolean())
                .isTrue();
        assertThat(container.path("volumeMounts"))
                .anySatisfy(m -> assertThat(m.path("mountPath").asText()).isEqualTo("/tmp"));
        assertThat(pod.path("volumes"))
                .anySatisfy(v -> assertThat(v.has("emptyDir")).isTrue());
    }

    @Test
    void probesAndResourcesAreSet() {
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz");
        assertThat(container.path("livenessProbe").path("httpGet").path("port").asText())
                .isEqualTo(container.path("ports").get(0).path("name").asText());
        JsonNode resources = container.path("resources");
        for (String part : new String[] {"requests", "limits"}) {
            assertThat(resources.path(part).path("cpu").asText()).isNotEmpty();
            assertThat(resources.path(part).path("memory").asText()).isNotEmpty();
        }
    }

    @Test
    void theCheckerRejectsWhatRestrictedRejects() {
        // The check above is only worth something if it fails on a pod that breaks the level.
        JsonNode broken = RenderedChart.render(Map.of())
                .get("Deployment", "tcphealth-system", "tcphealth-operator")
                .path("spec")
                .path("template")
                .path("spec");
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        broken.path("containers").get(0).path("securityContext"))
                .put("allowPrivilegeEscalation", true);
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken).put("hostPID", true);
        assertThat(PodSecurity.restricted(broken))
                .contains("hostPID", "operator: allowPrivilegeEscalation must be false");
    }

    @Test
    void jvmFlagsAndLogLevelReachTheJavaLauncher() {
        RenderedChart debug =
                RenderedChart.render(Map.of("operator.logLevel", "debug", "operator.javaOptions", "-Xmx100m"));
        JsonNode env = debug.get("Deployment", "tcphealth-system", "tcphealth-operator")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("env");
        assertThat(env).anySatisfy(e -> {
            assertThat(e.path("name").asText()).isEqualTo("JDK_JAVA_OPTIONS");
            assertThat(e.path("value").asText()).isEqualTo("-Xmx100m -Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
        });
    }
}
