package io.tcphealth.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.tcphealth.agent.cluster.ClusterWiring;
import io.tcphealth.agent.cluster.Snapshot;
import io.tcphealth.agent.cluster.TokenBucket;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API write budget of one agent on a node where nothing changes, counted at the API server: over 120
 * scans at the default 30 s interval (one simulated hour, on a clock the test moves) the agent may write its
 * first status, one heartbeat every 5 minutes, and the Events of its one finding. Never a write per scan.
 */
class WriteBudgetIT {
    static final int SCANS = 120;
    static final Duration INTERVAL = Duration.ofSeconds(30);
    /** First status + 12 heartbeats in an hour + 2 Events (pod and TcpHealthNode) for the one leak. */
    static final long BUDGET = 1 + 12 + 2;

    @Test
    void anUnchangedNodeStaysWithinItsWriteBudget() throws Exception {
        try (Fleet fleet = new Fleet()) {
            fleet.node("quiet-1", Map.of("pool", "p"));
            fleet.node("leaky-1", Map.of("pool", "p"));
            String uid = fleet.pod("shop", "checkout-1", "leaky-1", "api", FleetLoopIT.JAVA);
            ManualClock clock = new ManualClock(Instant.now());
            // The token bucket runs on the moved clock too, so the simulated hour refills it as a real one would.
            Fleet.Agent quiet = fleet.manualAgent(
                    "quiet-1", clock, new TokenBucket(ClusterWiring.QPS, ClusterWiring.BURST, clock::nanos));
            Fleet.Agent leaky = fleet.manualAgent(
                    "leaky-1", clock, new TokenBucket(ClusterWiring.QPS, ClusterWiring.BURST, clock::nanos));
            leaky.scan.set(Snapshot.closeWaitLeak(340, 9080, uid, FleetLoopIT.JAVA));
            TcpHealthPolicy policy = new TcpHealthPolicy();
            policy.getMetadata().setName("p");
            policy.getSpec()
                    .setNodeSelector(new LabelSelectorBuilder()
                            .addToMatchLabels("pool", "p")
                            .build());
            fleet.admin.resource(policy).create();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> quiet.object() != null && leaky.object() != null && quiet.wiring.agent() != null);
            // Let the informers see their TcpHealthNodes (and the pod) before the simulated hour starts.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                quiet.agent().runOnce();
                leaky.agent().runOnce();
                return quiet.object().getStatus() != null
                        && leaky.object().getStatus() != null
                        && leaky.object().getStatus().getFindings().stream()
                                .anyMatch(f -> "shop/checkout-1".equals(f.getPod()));
            });
            long quietStart = quiet.writes();
            long leakyStart = leaky.writes();

            for (int i = 0; i < SCANS; i++) {
                clock.advance(INTERVAL);
                quiet.agent().runOnce();
                leaky.agent().runOnce();
            }
            long quietWrites = quiet.writes() - quietStart;
            long leakyWrites = leaky.writes() - leakyStart;
            System.out.printf(
                    "Writes over %d scans (%s simulated): quiet node %d, leaking node %d; budget %d%n",
                    SCANS, INTERVAL.multipliedBy(SCANS), quietWrites, leakyWrites, BUDGET);
            assertThat(quietWrites).isPositive().isLessThanOrEqualTo(BUDGET);
            assertThat(leakyWrites).isPositive().isLessThanOrEqualTo(BUDGET);
            assertThat(quiet.writes() + leaky.writes())
                    .as("never one write per scan")
                    .isLessThan(SCANS);
            assertThat(List.of(
                            quiet.metrics.apiWrites("status", "failed"), leaky.metrics.apiWrites("status", "failed")))
                    .containsOnly(0.0);
        }
    }
}
