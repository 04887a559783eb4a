package io.tcphealth.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.Remediation;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deleting policies: the finalizer, the agents' restore, and the DaemonSet going with the last policy. */
class DeletionIT {

    @Test
    void theFinalizerWaitsUntilEveryAgentHasRestoredThenEverythingGoes() {
        try (MockCluster cluster = new MockCluster()) {
            cluster.node("n1", Map.of("pool", "checkout"));
            cluster.node("n2", Map.of("pool", "checkout"));
            cluster.policy("checkout", spec -> {
                MockCluster.selectPool(spec, "checkout");
                enforceKeepalive(spec);
            });
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.nodes().size() == 2 && cluster.daemonSet() != null);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.getPolicy("checkout")
                            .getMetadata()
                            .getFinalizers()
                            .contains(TcpHealthPolicyReconciler.FINALIZER));
            holds(cluster, "n1", List.of("checkout"));
            holds(cluster, "n2", List.of("checkout"));
            awaitReporting(cluster, "checkout", 2);

            cluster.client.resources(TcpHealthPolicy.class).withName("checkout").delete();

            // Nodes drop the policy and announce it as departing; the agents stay (by node name) to restore.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String name : List.of("n1", "n2")) {
                    TcpHealthNode node = cluster.getNode(name);
                    assertThat(node.getSpec().getPolicies()).isEmpty();
                    assertThat(node.getSpec().getDepartingPolicies())
                            .extracting(PolicyRestore::getPolicy, PolicyRestore::getRestoreOnDelete)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("checkout", true));
                }
                List<NodeSelectorTerm> terms = cluster.daemonSet()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getAffinity()
                        .getNodeAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms();
                // One draining node per term: the API server takes one value per metadata.name field selector.
                assertThat(terms)
                        .flatExtracting(t -> t.getMatchFields())
                        .extracting(f -> f.getValues())
                        .containsExactly(List.of("n1"), List.of("n2"));
            });
            assertThat(cluster.getPolicy("checkout")).isNotNull();

            holds(cluster, "n1", List.of());
            // n1 is done: nothing applies or departs there any more, so it loses its TcpHealthNode and its agent.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(cluster.getNode("n1")).isNull();
                List<NodeSelectorTerm> terms = cluster.daemonSet()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getAffinity()
                        .getNodeAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms();
                assertThat(terms)
                        .singleElement()
                        .satisfies(t -> assertThat(t.getMatchFields())
                                .singleElement()
                                .satisfies(f -> assertThat(f.getValues()).containsExactly("n2")));
            });
            assertThat(cluster.getPolicy("checkout"))
                    .as("n2 has not restored yet")
                    .isNotNull();

            holds(cluster, "n2", List.of());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(cluster.getPolicy("checkout")).isNull();
                assertThat(cluster.nodes()).isEmpty();
                assertThat(cluster.daemonSet()).isNull();
            });
            assertThat(events(cluster, "checkout")).contains("WaitingForRestore", "Released");
        }
    }

    @Test
    void anAgentThatNeverConfirmsHoldsTheDeletionOnlyUntilTheTimeout() {
        try (MockCluster cluster = new MockCluster("--restore-timeout", "3s")) {
            cluster.node("n1", Map.of("pool", "a"));
            cluster.node("n2", Map.of("pool", "b"));
            cluster.policy("a", spec -> {
                MockCluster.selectPool(spec, "a");
                enforceKeepalive(spec);
            });
            cluster.policy("b", spec -> MockCluster.selectPool(spec, "b"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.nodes().size() == 2 && cluster.daemonSet() != null);
            holds(cluster, "n1", List.of("a"));
            awaitReporting(cluster, "a", 1);

            cluster.client.resources(TcpHealthPolicy.class).withName("a").delete();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(cluster.getPolicy("a")).isNull();
                assertThat(cluster.getNode("n1")).isNull();
                // Policy b still needs its agent: the DaemonSet stays, selecting only b's nodes.
                List<NodeSelectorTerm> terms = cluster.daemonSet()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getAffinity()
                        .getNodeAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms();
                assertThat(terms).singleElement().satisfies(t -> {
                    assertThat(t.getMatchExpressions())
                            .singleElement()
                            .satisfies(e -> assertThat(e.getValues()).containsExactly("b"));
                    assertThat(t.getMatchFields()).isEmpty();
                });
            });
            assertThat(events(cluster, "a")).contains("RestoreTimedOut");

            cluster.client.resources(TcpHealthPolicy.class).withName("b").delete();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(cluster.getPolicy("b")).isNull();
                assertThat(cluster.nodes()).isEmpty();
                assertThat(cluster.daemonSet()).isNull();
            });
        }
    }

    private static void enforceKeepalive(io.tcphealth.api.v1alpha1.TcpHealthPolicySpec spec) {
        Sysctls sysctls = new Sysctls();
        sysctls.setTcpKeepaliveTime(600);
        spec.setSysctls(sysctls);
        Remediation remediation = new Remediation();
        remediation.setMode(RemediationMode.Enforce);
        spec.setRemediation(remediation);
    }

    /** The agent on {@code node} reports which policies' changes it holds. */
    private static void holds(MockCluster cluster, String node, List<String> policies) {
        cluster.report(node, status -> {
            status.setHeartbeat(Instant.now().toString());
            status.setAppliedPolicies(policies);
            return status;
        });
    }

    /** Waits until the operator has seen the agents' reports (the policy status counts them). */
    private static void awaitReporting(MockCluster cluster, String policy, int nodes) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            TcpHealthPolicy current = cluster.getPolicy(policy);
            return current.getStatus() != null && current.getStatus().getNodes().getReporting() == nodes;
        });
    }

    private static List<String> events(MockCluster cluster, String policy) {
        return cluster.client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> policy.equals(e.getInvolvedObject().getName()))
                .map(Event::getReason)
                .toList();
    }
}
