package io.tcphealth.operator.fleet;

import static io.tcphealth.operator.TestObjects.node;
import static io.tcphealth.operator.TestObjects.policyOnPool;
import static io.tcphealth.operator.TestObjects.status;
import static io.tcphealth.operator.TestObjects.tcpHealthNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetInputsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private final TcpHealthPolicy policy = policyOnPool("p", 0, "x");
    private final List<Node> nodes = List.of(node("n1", Map.of("pool", "x")), node("n2", Map.of("pool", "y")));
    private final Optional<DaemonSet> daemonSet = Optional.of(new DaemonSetBuilder()
            .withNewMetadata()
            .withName("tcphealth-agent")
            .withResourceVersion("7")
            .endMetadata()
            .build());

    @Test
    void aHeartbeatLeavesTheFingerprintAlone() {
        long before =
                fingerprint(List.of(policy), nodes, tcpHealthNode("n1", List.of("p"), status(NOW, true, List.of("p"))));
        long after = fingerprint(
                List.of(policy),
                nodes,
                tcpHealthNode("n1", List.of("p"), status(NOW.plusSeconds(300), false, List.of("p"))));

        assertThat(after).isEqualTo(before);
    }

    @Test
    void everythingThePlanDependsOnChangesIt() {
        TcpHealthNode n1 = tcpHealthNode("n1", List.of("p"), status(NOW, true, List.of("p")));
        long base = fingerprint(List.of(policy), nodes, n1);

        TcpHealthNode restored = tcpHealthNode("n1", List.of("p"), status(NOW, true, List.of()));
        assertThat(fingerprint(List.of(policy), nodes, restored))
                .as("agent let go of a policy")
                .isNotEqualTo(base);

        TcpHealthNode respecced = tcpHealthNode("n1", List.of("p", "q"), status(NOW, true, List.of("p")));
        assertThat(fingerprint(List.of(policy), nodes, respecced))
                .as("spec changed")
                .isNotEqualTo(base);

        List<Node> relabelled = List.of(node("n1", Map.of("pool", "y")), nodes.get(1));
        assertThat(fingerprint(List.of(policy), relabelled, n1))
                .as("labels changed")
                .isNotEqualTo(base);

        TcpHealthPolicy edited = policyOnPool("p", 0, "x");
        edited.getMetadata().setResourceVersion("2");
        assertThat(fingerprint(List.of(edited), nodes, n1)).as("policy changed").isNotEqualTo(base);

        assertThat(fingerprint(List.of(), nodes, n1)).as("policy gone").isNotEqualTo(base);
        assertThat(FleetInputs.fingerprint(List.of(policy), nodes, Map.of("n1", n1), Optional.empty()))
                .as("DaemonSet deleted")
                .isNotEqualTo(base);
    }

    private long fingerprint(List<TcpHealthPolicy> policies, List<Node> nodes, TcpHealthNode node) {
        return FleetInputs.fingerprint(
                policies, nodes, Map.of(node.getMetadata().getName(), node), daemonSet);
    }
}
