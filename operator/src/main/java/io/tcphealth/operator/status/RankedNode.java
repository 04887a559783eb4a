package io.tcphealth.operator.status;

import io.tcphealth.api.v1alpha1.NodeFinding;
import io.tcphealth.api.v1alpha1.NodeSummary;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.operator.fleet.NodeLiveness;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/**
 * One node as it appears among a policy's worst nodes.
 *
 * @param summary what the policy status shows
 * @param rank 2 for unhealthy, 1 for stale: unhealthy nodes come first
 */
record RankedNode(NodeSummary summary, int rank) {

    /** Unhealthy before stale; then worst severity, most findings, most stuck sockets; then by name. */
    static final Comparator<RankedNode> WORST_FIRST = Comparator.comparingInt(RankedNode::rank)
            .reversed()
            .thenComparing(
                    r -> r.summary().getWorstSeverity() == null
                            ? -1
                            : r.summary().getWorstSeverity().ordinal(),
                    Comparator.reverseOrder())
            .thenComparing(r -> r.summary().getFindings(), Comparator.reverseOrder())
            .thenComparing(
                    r -> r.summary().getCloseWait()
                            + r.summary().getFinWait1()
                            + r.summary().getOrphans()
                            + r.summary().getZombies(),
                    Comparator.reverseOrder())
            .thenComparing(r -> r.summary().getName());

    static RankedNode of(TcpHealthNode node) {
        NodeSummary summary = new NodeSummary();
        summary.setName(node.getMetadata().getName());
        TcpHealthNodeStatus status = node.getStatus();
        if (status != null) {
            summary.setHealthy(PolicyStatusAggregator.healthy(status));
            summary.setFindings((int) Math.min(Integer.MAX_VALUE, PolicyStatusAggregator.findingCount(status)));
            if (status.getStates() != null) {
                summary.setCloseWait(status.getStates().getCloseWait());
                summary.setFinWait1(status.getStates().getFinWait1());
            }
            if (status.getOrphans() != null) {
                summary.setOrphans(status.getOrphans().getCount());
            }
            if (status.getZombies() != null) {
                summary.setZombies(status.getZombies().getCount());
            }
            Severity worst = PolicyStatusAggregator.worstSeverity(status);
            summary.setWorstSeverity(worst);
            if (worst != null) {
                status.getFindings().stream()
                        .filter(f -> f.getSeverity() == worst)
                        .map(NodeFinding::getMessage)
                        .findFirst()
                        .ifPresent(message -> summary.setMessage(
                                message == null || message.length() <= 1000
                                        ? message
                                        : message.substring(0, 1000) + "..."));
            }
        }
        return new RankedNode(summary, 0);
    }

    static RankedNode unhealthy(TcpHealthNode node) {
        return new RankedNode(of(node).summary(), 2);
    }

    static RankedNode stale(TcpHealthNode node, Instant now) {
        NodeSummary summary = of(node).summary();
        summary.setHealthy(null);
        summary.setMessage(NodeLiveness.lastReport(node)
                .map(last -> "No report for " + Duration.between(last, now).toMinutes()
                        + "m: the agent is not running or cannot reach the API")
                .orElse("The agent has never reported"));
        return new RankedNode(summary, 1);
    }
}
