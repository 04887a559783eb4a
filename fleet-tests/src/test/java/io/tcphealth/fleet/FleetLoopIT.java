package io.tcphealth.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.tcphealth.agent.cluster.Snapshot;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicyStatus;
import io.tcphealth.api.v1alpha1.Thresholds;
import io.tcphealth.testsupport.PrinterColumns;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole loop on a simulated cluster: a policy is applied, the operator writes each node's TcpHealthNode
 * spec, three agents (each its own client and node name, fed prepared scans) report, the policy's status
 * aggregates them into the {@code kubectl get tcphealth} line, and the offending pods get Events. Then the
 * policy changes, the API server goes away and comes back, and the policy is deleted.
 */
class FleetLoopIT {
    static final String JAVA = "a".repeat(64);
    static final String WORKER = "b".repeat(64);
    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aPolicyReachesEveryAgentAndTheirReportsReachThePolicyAndTheGuiltyPods() throws Exception {
        try (Fleet fleet = new Fleet()) {
            for (String n : List.of("n1", "n2", "n3")) {
                fleet.node(n, Map.of("pool", "checkout"));
            }
            String checkoutUid = fleet.pod("shop", "checkout-7d9f", "n1", "api", JAVA);
            String workerUid = fleet.pod("shop", "worker-5c4b", "n2", "worker", WORKER);
            Fleet.Agent n1 = fleet.agent("n1");
            Fleet.Agent n2 = fleet.agent("n2");
            Fleet.Agent n3 = fleet.agent("n3");
            n1.scan.set(Snapshot.closeWaitLeak(340, 9080, checkoutUid, JAVA));
            // Below the default threshold of 50, and not on a port of interest: healthy until the policy gets stricter.
            n2.scan.set(Snapshot.closeWaitLeak(30, 7070, workerUid, WORKER));

            TcpHealthPolicy policy = new TcpHealthPolicy();
            policy.getMetadata().setName("checkout");
            policy.getSpec()
                    .setNodeSelector(new LabelSelectorBuilder()
                            .addToMatchLabels("pool", "checkout")
                            .build());
            policy.getSpec().setPorts(List.of(9080));
            fleet.admin.resource(policy).create();

            // Specs reach the agents, statuses flow back, the policy aggregates them.
            await().atMost(WAIT).untilAsserted(() -> {
                TcpHealthPolicyStatus status = fleet.policy("checkout").getStatus();
                assertThat(status).isNotNull();
                assertThat(status.getNodes().getMatched()).isEqualTo(3);
                assertThat(status.getNodes().getReporting()).isEqualTo(3);
                assertThat(status.getNodes().getUnhealthy()).isEqualTo(1);
                assertThat(status.getNodes().getHealthy()).isEqualTo(2);
                assertThat(status.getTotals().getCloseWait()).isEqualTo(370);
            });
            for (Fleet.Agent a : List.of(n1, n2, n3)) {
                TcpHealthNode node = a.object();
                assertThat(node.getStatus().getAppliedPolicies()).containsExactly("checkout");
                assertThat(node.getStatus().getObservedSpecGeneration())
                        .isEqualTo(node.getMetadata().getGeneration());
            }
            assertThat(n1.object().getStatus().getFindings()).first().satisfies(f -> {
                assertThat(f.getType()).isEqualTo("CloseWaitLeak");
                assertThat(f.getPod()).isEqualTo("shop/checkout-7d9f");
                assertThat(f.getSeverity()).isEqualTo(Severity.Critical);
            });
            TcpHealthPolicy applied = fleet.policy("checkout");
            assertThat(applied.getStatus().getWorstNodes())
                    .first()
                    .satisfies(w -> assertThat(w.getName()).isEqualTo("n1"));
            assertThat(PrinterColumns.of("META-INF/fabric8/tcphealthpolicies.tcphealth.io-v1.yml", applied))
                    .containsEntry("Nodes", "3")
                    .containsEntry("Healthy", "2")
                    .containsEntry("CLOSE_WAIT", "370")
                    .containsEntry("Ready", "True");

            // The guilty pod, and only it, is told, once.
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(podEvents(fleet, "checkout-7d9f"))
                            .singleElement()
                            .satisfies(e -> assertThat(e.getMessage())
                                    .startsWith(
                                            "CLOSE_WAIT leak: 340 CLOSE_WAIT sockets on :9080 held by java (pid 4711)")
                                    .endsWith("(container api)")));
            assertThat(podEvents(fleet, "worker-5c4b")).isEmpty();
            assertThat(fleet.admin.v1().events().inNamespace("default").list().getItems())
                    .anyMatch(e -> e.getInvolvedObject().getKind().equals("TcpHealthNode")
                            && e.getInvolvedObject().getName().equals("n1"));

            // A stricter policy reaches every agent at its next scan: n2's 30 sockets are now a leak.
            fleet.admin.resources(TcpHealthPolicy.class).withName("checkout").edit(p -> {
                Thresholds t = new Thresholds();
                t.setCloseWaitPerProcess(20);
                p.getSpec().setThresholds(t);
                return p;
            });
            await().atMost(WAIT).untilAsserted(() -> {
                for (Fleet.Agent a : List.of(n1, n2, n3)) {
                    TcpHealthNode node = a.object();
                    // Until the operator has written the new spec the threshold is absent: an assertion error, so
                    // that the wait goes on, not a NullPointerException that ends it.
                    assertThat(node.getSpec().getThresholds().getCloseWaitPerProcess())
                            .extracting(Sourced::getValue)
                            .isEqualTo(20);
                    assertThat(node.getStatus().getObservedSpecGeneration())
                            .isEqualTo(node.getMetadata().getGeneration());
                }
                TcpHealthPolicyStatus status = fleet.policy("checkout").getStatus();
                assertThat(status.getObservedGeneration())
                        .isEqualTo(fleet.policy("checkout").getMetadata().getGeneration());
                assertThat(status.getNodes().getUnhealthy()).isEqualTo(2);
                assertThat(podEvents(fleet, "worker-5c4b")).hasSize(1);
            });

            // Deleting the policy: the nodes list it as departing, the agents confirm, the finalizer lets go.
            fleet.admin.resources(TcpHealthPolicy.class).withName("checkout").delete();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(fleet.policy("checkout")).isNull();
                assertThat(fleet.admin.resources(TcpHealthNode.class).list().getItems())
                        .isEmpty();
            });
            assertThat(fleet.agentLog).noneMatch(l -> l.contains("round threw"));
        }
    }

    static List<Event> podEvents(Fleet fleet, String pod) {
        return fleet.admin.v1().events().inNamespace("shop").list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getKind().equals("Pod")
                        && e.getInvolvedObject().getName().equals(pod))
                .filter(e -> e.getReason().equals("CloseWaitLeak"))
                .toList();
    }
}
