package io.tcphealth.apitest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.tcphealth.operator.agent.AgentDaemonSet;
import io.tcphealth.operator.agent.AgentDemand;
import io.tcphealth.operator.agent.AgentSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shape of the agent DaemonSet the operator builds is accepted by the real server (dry run, in the chart's
 * agents' namespace, whose Pod Security level is privileged): with and without pod namespaces, with nodes that
 * still drain a dropped policy, with everything at once.
 */
class AgentDaemonSetIT {

    static final AgentSettings SETTINGS = new AgentSettings(
            InstalledChart.AGENT_NAMESPACE,
            "tcphealth/agent:0.1.0",
            "IfNotPresent",
            List.of("run"),
            InstalledChart.AGENT_ACCOUNT,
            new ResourceRequirementsBuilder()
                    .withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("192Mi")))
                    .withLimits(Map.of("cpu", new Quantity("1"), "memory", new Quantity("384Mi")))
                    .build(),
            List.of(new Toleration("NoSchedule", "dedicated", "Equal", null, "checkout")),
            "system-node-critical",
            9464,
            "/var/lib/tcphealth/journal",
            Duration.ofMinutes(5),
            "default",
            "-Xmx48m");

    record Shape(String name, List<AgentDemand> demands, List<String> draining) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Shape> shapes() {
        AgentDemand checkout = new AgentDemand(
                "checkout",
                new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("tcphealth.io/pool", "checkout"))
                        .build(),
                false);
        AgentDemand pods = new AgentDemand(
                "pods",
                new LabelSelectorBuilder()
                        .addNewMatchExpression()
                        .withKey("tcphealth.io/pool")
                        .withOperator("In")
                        .withValues("batch", "web")
                        .endMatchExpression()
                        .build(),
                true);
        AgentDemand everywhere = new AgentDemand("everywhere", null, false);
        return Stream.of(
                new Shape("one selector", List.of(checkout), List.of()),
                new Shape("every node", List.of(everywhere), List.of()),
                new Shape("pod namespaces", List.of(checkout, pods), List.of()),
                new Shape("one node draining", List.of(checkout), List.of("n1")),
                new Shape("several nodes draining", List.of(checkout, pods), List.of("n1", "n2", "n3")),
                new Shape("only draining nodes", List.of(), List.of("n1", "n2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void theServerAcceptsTheDaemonSet(Shape shape) {
        ControlPlane plane = SharedControlPlane.get();
        SharedControlPlane.chart();
        DaemonSet desired = AgentDaemonSet.desired(shape.demands(), shape.draining(), false, SETTINGS)
                .orElseThrow();
        DaemonSet accepted = plane.admin()
                .apps()
                .daemonSets()
                .inNamespace(InstalledChart.AGENT_NAMESPACE)
                .resource(desired)
                .dryRun()
                .create();
        assertThat(accepted.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(InstalledChart.AGENT_ACCOUNT);
    }
}
