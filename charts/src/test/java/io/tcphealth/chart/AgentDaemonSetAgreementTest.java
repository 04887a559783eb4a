package io.tcphealth.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tcphealth.operator.agent.AgentDaemonSet;
import io.tcphealth.operator.agent.AgentDemand;
import io.tcphealth.operator.config.OperatorOptions;
import io.tcphealth.operator.config.OperatorSettings;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The chart does not render the agent DaemonSet: the operator builds it from its configuration, which the
 * chart passes as environment variables of the operator Deployment. These tests feed that configuration to
 * the operator's own builder and check that the DaemonSet it would create fits what the chart installed:
 * namespace and its Pod Security level, service account and RBAC, admission policy, image, resources,
 * tolerations, metrics wiring and host mounts. Each capability and host path is also documented.
 */
class AgentDaemonSetAgreementTest {

    private static final Pattern ENV_NAME = Pattern.compile("\\(env (\\w+)");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> installs() {
        return Stream.of(Arguments.of("defaults", null), Arguments.of("every option", ChartRenderingTest.ALL_OPTIONS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installs")
    void everyVariableTheChartSetsIsOneTheOperatorReads(String name, Path values) {
        RenderedChart chart = RenderedChart.render(values, Map.of());
        Map<String, String> flags = operatorFlagsByVariable();

        List<String> unknown = operatorEnv(chart).keySet().stream()
                .filter(variable -> !flags.containsKey(variable) && !variable.equals("JDK_JAVA_OPTIONS"))
                .toList();
        assertThat(unknown).as("variables the operator does not read").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installs")
    void theOperatorsDaemonSetFitsWhatTheChartInstalled(String name, Path values) throws IOException {
        RenderedChart chart = RenderedChart.render(values, Map.of());
        JsonNode chartValues = values == null
                ? JSON.createObjectNode()
                : new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(values.toFile());
        DaemonSet daemonSet = daemonSetFor(chart, true);
        JsonNode pod = JSON.readTree(
                SERIALIZATION.asJson(daemonSet.getSpec().getTemplate().getSpec()));
        Container agent =
                daemonSet.getSpec().getTemplate().getSpec().getContainers().getFirst();
        String namespace = daemonSet.getMetadata().getNamespace();
        String serviceAccount = daemonSet.getSpec().getTemplate().getSpec().getServiceAccountName();

        // Namespace: the agents' one, whose Pod Security level admits this pod (baseline would not).
        assertThat(namespace)
                .isEqualTo(chartValues.path("namespaces").path("agent").asText("tcphealth-agents"));
        assertThat(PodSecurity.baseline(pod)).contains("hostPID", "hostNetwork");
        assertThat(chart.get("Namespace", namespace)
                        .path("metadata")
                        .path("labels")
                        .path("pod-security.kubernetes.io/enforce")
                        .asText())
                .isEqualTo("privileged");

        // Identity: the chart's agent ServiceAccount, bound to the agent ClusterRole, named by the admission policy.
        assertThat(chart.get("ServiceAccount", namespace, serviceAccount)).isNotNull();
        assertThat(Rbac.grantsOf(chart, namespace, serviceAccount))
                .contains(new Rbac.Grant(null, "tcphealth.io", "tcphealthnodes/status", "patch"));
        assertThat(chart.get("ValidatingAdmissionPolicy", "tcphealth-agent-own-node")
                        .path("spec")
                        .path("matchConditions")
                        .get(0)
                        .path("expression")
                        .asText())
                .contains("'system:serviceaccount:" + namespace + ":" + serviceAccount + "'");

        // Image, resources, placement: as the values say.
        JsonNode agentValues = chartValues.path("agent");
        assertThat(agent.getImage())
                .isEqualTo(agentValues.path("image").path("repository").asText("tcphealth/agent") + ":"
                        + agentValues.path("image").path("tag").asText("0.1.0"));
        assertThat(agent.getImagePullPolicy())
                .isEqualTo(agentValues.path("image").path("pullPolicy").asText("IfNotPresent"));
        assertThat(agent.getResources().getLimits().get("memory"))
                .isEqualTo(new Quantity(agentValues
                        .path("resources")
                        .path("limits")
                        .path("memory")
                        .asText("384Mi")));
        assertThat(agent.getResources().getRequests().get("cpu"))
                .isEqualTo(new Quantity(agentValues
                        .path("resources")
                        .path("requests")
                        .path("cpu")
                        .asText("50m")));
        assertThat(tolerations(daemonSet)).isEqualTo(expectedTolerations(agentValues.path("tolerations")));
        String javaOptions = agentValues.path("javaOptions").asText("");
        assertThat(agent.getEnv().stream()
                        .filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
                        .map(e -> e.getValue())
                        .toList())
                .isEqualTo(javaOptions.isBlank() ? java.util.List.of() : java.util.List.of(javaOptions));
        assertThat(daemonSet.getSpec().getTemplate().getSpec().getPriorityClassName())
                .isEqualTo(
                        agentValues.path("priorityClassName").asText("").isEmpty()
                                ? null
                                : agentValues.path("priorityClassName").asText());
        assertThat(daemonSet.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(
                                v.getHostPath() == null ? null : v.getHostPath().getPath())
                        .isEqualTo(agentValues.path("journalHostPath").asText("/var/lib/tcphealth/journal")));

        // Metrics: the PodMonitor selects these pods and scrapes the port the agent serves.
        RenderedChart monitored = RenderedChart.render(values, Map.of("metrics.podMonitor.enabled", true));
        JsonNode podMonitor = monitored.get("PodMonitor", "tcphealth-agent");
        assertThat(podMonitor.path("metadata").path("namespace").asText()).isEqualTo(namespace);
        podMonitor
                .path("spec")
                .path("selector")
                .path("matchLabels")
                .properties()
                .forEach(label -> assertThat(
                                daemonSet.getSpec().getTemplate().getMetadata().getLabels())
                        .containsEntry(label.getKey(), label.getValue().asText()));
        String port = podMonitor
                .path("spec")
                .path("podMetricsEndpoints")
                .get(0)
                .path("port")
                .asText();
        assertThat(agent.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo(port);
            assertThat(p.getContainerPort())
                    .isEqualTo(agentValues.path("metricsPort").asInt(9464));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installs")
    void agentSecurityContextIsTheOneTheDocumentationDescribes(String name, Path values) throws IOException {
        RenderedChart chart = RenderedChart.render(values, Map.of());
        String security = Files.readString(ProjectFiles.file("docs/security.md"));
        for (boolean allNamespaces : new boolean[] {false, true}) {
            DaemonSet daemonSet = daemonSetFor(chart, allNamespaces);
            Container agent =
                    daemonSet.getSpec().getTemplate().getSpec().getContainers().getFirst();
            var context = agent.getSecurityContext();

            assertThat(context.getPrivileged()).isFalse();
            assertThat(context.getAllowPrivilegeEscalation()).isFalse();
            assertThat(context.getReadOnlyRootFilesystem()).isTrue();
            assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(daemonSet
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getSecurityContext()
                            .getSeccompProfile()
                            .getType())
                    .isEqualTo("RuntimeDefault");
            for (String capability : context.getCapabilities().getAdd()) {
                assertThat(security)
                        .as("docs/security.md explains %s", capability)
                        .contains("`" + capability + "`");
            }
            daemonSet.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getHostPath() != null && !v.getName().equals("journal"))
                    .forEach(v -> assertThat(security)
                            .as(
                                    "docs/security.md explains host path %s",
                                    v.getHostPath().getPath())
                            .contains("`" + v.getHostPath().getPath() + "`"));
            agent.getVolumeMounts()
                    .forEach(m -> assertThat(security)
                            .as("docs/security.md lists mount %s", m.getMountPath())
                            .contains("`" + m.getMountPath() + "`"));
        }
        assertThat(daemonSetFor(chart, true)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getSecurityContext()
                        .getCapabilities()
                        .getAdd())
                .contains("SYS_ADMIN");
        assertThat(daemonSetFor(chart, false)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getSecurityContext()
                        .getCapabilities()
                        .getAdd())
                .doesNotContain("SYS_ADMIN");
    }

    /** The DaemonSet the operator would create for one policy, configured as the chart configures it. */
    static DaemonSet daemonSetFor(RenderedChart chart, boolean allNamespaces) {
        OperatorSettings settings = operatorSettings(chart);
        return AgentDaemonSet.desired(
                        List.of(new AgentDemand("observe", null, allNamespaces)), List.of(), false, settings.agent())
                .orElseThrow();
    }

    static OperatorSettings operatorSettings(RenderedChart chart) {
        Map<String, String> flags = operatorFlagsByVariable();
        List<String> args = new ArrayList<>();
        operatorEnv(chart).forEach((variable, value) -> {
            if (flags.containsKey(variable)) {
                args.add(flags.get(variable) + "=" + value);
            }
        });
        OperatorOptions options = new OperatorOptions();
        new CommandLine(options).parseArgs(args.toArray(String[]::new));
        return options.toSettings();
    }

    /** Each operator flag by the environment variable its description names. */
    static Map<String, String> operatorFlagsByVariable() {
        Map<String, String> flags = new HashMap<>();
        for (OptionSpec option :
                new CommandLine(new OperatorOptions()).getCommandSpec().options()) {
            Matcher matcher = ENV_NAME.matcher(String.join(" ", option.description()));
            if (matcher.find()) {
                flags.put(matcher.group(1), option.longestName());
            }
        }
        return flags;
    }

    static Map<String, String> operatorEnv(RenderedChart chart) {
        JsonNode deployment = chart.ofKind("Deployment").getFirst();
        Map<String, String> env = new HashMap<>();
        for (JsonNode variable : deployment
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("env")) {
            if (variable.has("value")) {
                env.put(variable.path("name").asText(), variable.path("value").asText());
            }
        }
        return env;
    }

    private static List<String> tolerations(DaemonSet daemonSet) {
        return daemonSet.getSpec().getTemplate().getSpec().getTolerations().stream()
                .map(AgentDaemonSetAgreementTest::describe)
                .toList();
    }

    private static List<String> expectedTolerations(JsonNode values) {
        if (values.isMissingNode()) {
            return List.of(describe(new Toleration(null, null, "Exists", null, null)));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : values) {
            String operator = t.path("operator").asText("Equal");
            out.add(describe(new Toleration(
                    t.path("effect").asText(null),
                    t.path("key").asText(null),
                    operator,
                    null,
                    operator.equals("Equal") ? t.path("value").asText("") : null)));
        }
        return out;
    }

    private static String describe(Toleration t) {
        return t.getKey() + " " + t.getOperator() + " " + t.getValue() + " " + t.getEffect();
    }
}
