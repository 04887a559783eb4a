package io.tcphealth.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.tcphealth.agent.cluster.Snapshot;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicyStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API server answers 503 to everything for a while. The agents keep scanning, back off, and when it is
 * back each writes its newest state once: nothing that happened during the outage is lost, and the policy's
 * status converges on it.
 */
class OutageIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void agentsKeepWorkingThroughAnOutageAndCatchUpAfterIt() throws Exception {
        try (Fleet fleet = new Fleet()) {
            for (String n : List.of("n1", "n2", "n3")) {
                fleet.node(n, Map.of("pool", "web"));
            }
            String apiUid = fleet.pod("shop", "api-1", "n2", "api", FleetLoopIT.JAVA);
            Fleet.Agent n1 = fleet.agent("n1");
            Fleet.Agent n2 = fleet.agent("n2");
            Fleet.Agent n3 = fleet.agent("n3");
            TcpHealthPolicy policy = new TcpHealthPolicy();
            policy.getMetadata().setName("web");
            policy.getSpec()
                    .setNodeSelector(new LabelSelectorBuilder()
                            .addToMatchLabels("pool", "web")
                            .build());
            fleet.admin.resource(policy).create();
            await().atMost(WAIT).untilAsserted(() -> {
                TcpHealthPolicyStatus status = fleet.policy("web").getStatus();
                assertThat(status).isNotNull();
                assertThat(status.getNodes().getReporting()).isEqualTo(3);
                assertThat(status.getNodes().getHealthy()).isEqualTo(3);
            });

            fleet.dispatcher.down(true);
            long roundsBefore = n2.agent().rounds();
            // During the outage n2's java starts leaking, then leaks more: only the last state should be written.
            n2.scan.set(Snapshot.closeWaitLeak(120, 9080, apiUid, FleetLoopIT.JAVA));
            await().atMost(WAIT).until(() -> n2.agent().rounds() >= roundsBefore + 10);
            n2.scan.set(Snapshot.closeWaitLeak(260, 9080, apiUid, FleetLoopIT.JAVA));
            await().atMost(WAIT).until(() -> n2.agent().rounds() >= roundsBefore + 20);
            assertThat(n2.metrics.apiWrites("status", "failed"))
                    .as("write attempts failed")
                    .isPositive();
            assertThat(n2.metrics.apiWrites("status", "failed"))
                    .as("backoff: far fewer attempts than scans")
                    .isLessThan(n2.agent().rounds() - roundsBefore);
            assertThat(n1.agent().rounds()).as("every agent kept scanning").isGreaterThan(10);
            assertThat(n3.agent().rounds()).isGreaterThan(10);
            long writesDuringOutage = n2.writes();

            fleet.dispatcher.down(false);
            await().atMost(WAIT).untilAsserted(() -> {
                TcpHealthNode node = n2.object();
                assertThat(node.getStatus().getStates().getCloseWait()).isEqualTo(260);
                assertThat(node.getStatus().getFindings()).first().satisfies(f -> {
                    assertThat(f.getType()).isEqualTo("CloseWaitLeak");
                    assertThat(f.getPod()).isEqualTo("shop/api-1");
                });
                TcpHealthPolicyStatus status = fleet.policy("web").getStatus();
                assertThat(status.getNodes().getUnhealthy()).isEqualTo(1);
                assertThat(status.getNodes().getReporting()).isEqualTo(3);
                assertThat(status.getTotals().getCloseWait()).isEqualTo(260);
                assertThat(FleetLoopIT.podEvents(fleet, "api-1"))
                        .singleElement()
                        .satisfies(e -> assertThat(e.getMessage()).contains("260 CLOSE_WAIT sockets"));
            });
            // One status write carried the whole outage (plus the Events on the pod and the node).
            assertThat(n2.writes() - writesDuringOutage).isLessThanOrEqualTo(1 + 2 + 2);
            assertThat(fleet.agentLog).noneMatch(l -> l.contains("round threw"));
        }
    }
}
