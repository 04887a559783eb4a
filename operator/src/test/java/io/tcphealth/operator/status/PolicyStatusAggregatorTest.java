package io.tcphealth.operator.status;

import static io.tcphealth.operator.TestObjects.status;
import static io.tcphealth.operator.TestObjects.tcpHealthNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tcphealth.api.v1alpha1.Conflict;
import io.tcphealth.api.v1alpha1.NodeFinding;
import io.tcphealth.api.v1alpha1.NodeSummary;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.api.v1alpha1.StateCounts;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicyStatus;
import io.tcphealth.operator.TestObjects;
import io.tcphealth.operator.fleet.NodeLiveness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyStatusAggregatorTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    // Stale after 3 x 5m + 1m = 16 minutes of silence.
    private final PolicyStatusAggregator aggregator =
            new PolicyStatusAggregator(new NodeLiveness(Duration.ofMinutes(5), Duration.ofMinutes(1)));
    private final TcpHealthPolicy policy = TestObjects.policyOnPool("p", 0, "x");

    @Test
    void theModeColumnShowsTheDefaultWhereTheSpecStoresNone() {
        assertThat(aggregator.aggregate(policy, List.of(), List.of(), NOW).getMode())
                .isEqualTo(io.tcphealth.api.v1alpha1.RemediationMode.Observe);
        io.tcphealth.api.v1alpha1.Remediation enforce = new io.tcphealth.api.v1alpha1.Remediation();
        enforce.setMode(io.tcphealth.api.v1alpha1.RemediationMode.Enforce);
        TcpHealthPolicy enforcing = TestObjects.policy("e", 0, spec -> spec.setRemediation(enforce));
        assertThat(aggregator.aggregate(enforcing, List.of(), List.of(), NOW).getMode())
                .isEqualTo(io.tcphealth.api.v1alpha1.RemediationMode.Enforce);
    }

    @Test
    void countsNodesByHealthAndLeavesStaleNodesOutOfTheTotals() {
        List<TcpHealthNode> nodes = List.of(
                node("healthy", NOW.minusSeconds(60), true, 2, List.of()),
                node(
                        "sick",
                        NOW.minusSeconds(60),
                        false,
                        40,
                        List.of(finding(Severity.Warning, "CLOSE_WAIT piling up"))),
                node("quiet", NOW.minus(Duration.ofMinutes(17)), false, 1000, List.of()),
                tcpHealthNode("new", List.of("p"), null));

        TcpHealthPolicyStatus status = aggregator.aggregate(policy, List.of(), nodes, NOW);

        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getNodes().getMatched()).isEqualTo(4);
        assertThat(status.getNodes().getReporting()).isEqualTo(3);
        assertThat(status.getNodes().getHealthy()).isEqualTo(1);
        assertThat(status.getNodes().getUnhealthy()).isEqualTo(1);
        // "new" never reported and its TcpHealthNode is months old: stale as well.
        assertThat(status.getNodes().getStale()).isEqualTo(2);
        assertThat(status.getTotals().getCloseWait()).isEqualTo(42);
        assertThat(status.getTotals().getFindings()).isEqualTo(1);
        assertThat(status.getWorstNodes()).extracting(NodeSummary::getName).containsExactly("sick", "quiet", "new");
        assertThat(status.getWorstNodes().getFirst().getMessage()).isEqualTo("CLOSE_WAIT piling up");
        assertThat(status.getWorstNodes().getFirst().getWorstSeverity()).isEqualTo(Severity.Warning);
        assertThat(status.getWorstNodes().get(1).getMessage()).startsWith("No report for 17m");
        assertThat(status.getWorstNodes().get(2).getMessage()).isEqualTo("The agent has never reported");
        assertThat(condition(status, Conditions.READY).getStatus()).isEqualTo("False");
        assertThat(condition(status, Conditions.READY).getReason()).isEqualTo("WaitingForAgents");
        assertThat(condition(status, Conditions.DEGRADED).getStatus()).isEqualTo("True");
        assertThat(condition(status, Conditions.DEGRADED).getReason()).isEqualTo("AgentsStale");
        assertThat(condition(status, Conditions.DEGRADED).getMessage())
                .isEqualTo(
                        "2 nodes have not reported for three reporting periods: new, quiet; 1 node reports findings (see worstNodes): sick");
    }

    @Test
    void aNodeJustInsideTheWindowIsNotStale() {
        TcpHealthPolicyStatus status = aggregator.aggregate(
                policy, List.of(), List.of(node("n", NOW.minus(Duration.ofMinutes(15)), true, 0, List.of())), NOW);

        assertThat(status.getNodes().getStale()).isZero();
        assertThat(condition(status, Conditions.READY).getStatus()).isEqualTo("True");
        assertThat(condition(status, Conditions.READY).getMessage()).isEqualTo("In force on 1 node");
        assertThat(condition(status, Conditions.DEGRADED).getStatus()).isEqualTo("False");
    }

    @Test
    void worstNodesStopAtTenAndCountTheRest() {
        List<TcpHealthNode> nodes = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            nodes.add(node(String.format("n%02d", i), NOW, false, i, List.of(finding(Severity.Critical, "leak " + i))));
        }
        nodes.add(node("fine", NOW, true, 0, List.of()));

        TcpHealthPolicyStatus status = aggregator.aggregate(policy, List.of(), nodes, NOW);

        assertThat(status.getWorstNodes()).hasSize(10);
        assertThat(status.getWorstNodesTruncated()).isEqualTo(4);
        // Same severity and finding count: the most stuck sockets first.
        assertThat(status.getWorstNodes().getFirst().getName()).isEqualTo("n13");
        assertThat(status.getWorstNodes()).extracting(NodeSummary::getName).doesNotContain("fine", "n00");
    }

    @Test
    void theLoserOfAConflictSaysWhichKeyAndWhichPolicyWon() {
        TcpHealthNode n1 = node("n1", NOW, true, 0, List.of());
        Conflict conflict = new Conflict();
        conflict.setKey("sysctls.tcpKeepaliveTime");
        conflict.setWinner("platform");
        conflict.setLosers(List.of("p"));
        n1.getSpec().setConflicts(List.of(conflict));

        TcpHealthPolicyStatus status = aggregator.aggregate(policy, List.of(), List.of(n1), NOW);

        assertThat(condition(status, Conditions.CONFLICT).getStatus()).isEqualTo("True");
        assertThat(condition(status, Conditions.CONFLICT).getMessage())
                .isEqualTo("sysctls.tcpKeepaliveTime is overridden by policy 'platform' on 1 node");
    }

    @Test
    void anInvalidPolicyIsNotReadyAndDegradedWithTheProblems() {
        TcpHealthPolicyStatus status =
                aggregator.aggregate(policy, List.of("spec.interval: interval must be at least 5s"), List.of(), NOW);

        assertThat(condition(status, Conditions.READY).getReason()).isEqualTo("InvalidSpec");
        assertThat(condition(status, Conditions.DEGRADED).getMessage())
                .contains("spec.interval: interval must be at least 5s");
    }

    @Test
    void nothingChangedGivesAnEqualStatusWithTheOldTransitionTimes() {
        List<TcpHealthNode> nodes = List.of(node("n", NOW, true, 3, List.of()));
        TcpHealthPolicyStatus first = aggregator.aggregate(policy, List.of(), nodes, NOW);
        policy.setStatus(first);

        TcpHealthPolicyStatus again = aggregator.aggregate(policy, List.of(), nodes, NOW.plusSeconds(30));

        assertThat(again).isEqualTo(first);
        assertThat(condition(again, Conditions.READY).getLastTransitionTime()).isEqualTo("2026-06-01T12:00:00Z");
    }

    @Test
    void theNextStalenessIsWhenTheQuietestNodeCrossesItsWindow() {
        List<TcpHealthNode> nodes = List.of(
                node("a", NOW.minusSeconds(60), true, 0, List.of()),
                node("b", NOW.minusSeconds(600), true, 0, List.of()));

        assertThat(aggregator.nextStaleness(nodes, NOW))
                .contains(NOW.minusSeconds(600).plus(Duration.ofMinutes(16)));
    }

    private static TcpHealthNode node(
            String name, Instant heartbeat, boolean healthy, long closeWait, List<NodeFinding> findings) {
        TcpHealthNodeStatus status = status(heartbeat, healthy, List.of("p"));
        StateCounts states = new StateCounts();
        states.setCloseWait(closeWait);
        status.setStates(states);
        status.setFindings(findings);
        return tcpHealthNode(name, List.of("p"), status);
    }

    private static NodeFinding finding(Severity severity, String message) {
        NodeFinding finding = new NodeFinding();
        finding.setSeverity(severity);
        finding.setType("CloseWaitLeak");
        finding.setMessage(message);
        return finding;
    }

    private static Condition condition(TcpHealthPolicyStatus status, String type) {
        return Conditions.find(status.getConditions(), type);
    }
}
