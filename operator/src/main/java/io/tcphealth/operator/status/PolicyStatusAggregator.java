package io.tcphealth.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.tcphealth.api.v1alpha1.ConditionReasons;
import io.tcphealth.api.v1alpha1.ConditionTypes;
import io.tcphealth.api.v1alpha1.Conflict;
import io.tcphealth.api.v1alpha1.NodeCounts;
import io.tcphealth.api.v1alpha1.NodeFinding;
import io.tcphealth.api.v1alpha1.PolicyDefaults;
import io.tcphealth.api.v1alpha1.Remediation;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicyStatus;
import io.tcphealth.api.v1alpha1.Totals;
import io.tcphealth.operator.fleet.NodeLiveness;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A policy's status as a pure function of its spec and generation, the TcpHealthNodes it applies to, and
 * the time: node counts, totals, the worst nodes, and the Ready, Degraded and Conflict conditions.
 */
public final class PolicyStatusAggregator {

    static final int NAMES_IN_MESSAGE = 5;

    private final NodeLiveness liveness;

    public PolicyStatusAggregator(NodeLiveness liveness) {
        this.liveness = liveness;
    }

    /**
     * @param policy the policy, with its previous status (only its conditions' transition times are reused)
     * @param problems what keeps the policy from being applied; empty when it is valid
     * @param nodes the TcpHealthNodes whose spec lists the policy
     */
    public TcpHealthPolicyStatus aggregate(
            TcpHealthPolicy policy, List<String> problems, List<TcpHealthNode> nodes, Instant now) {
        Long generation = policy.getMetadata().getGeneration();
        NodeCounts counts = new NodeCounts();
        Totals totals = new Totals();
        List<RankedNode> problemNodes = new ArrayList<>();
        List<String> behind = new ArrayList<>();
        List<String> staleNames = new ArrayList<>();
        List<String> unhealthyNames = new ArrayList<>();
        for (TcpHealthNode node : nodes.stream()
                .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
                .toList()) {
            String name = node.getMetadata().getName();
            counts.setMatched(counts.getMatched() + 1);
            boolean reported = NodeLiveness.reported(node);
            boolean stale = liveness.stale(node, now);
            if (reported) {
                counts.setReporting(counts.getReporting() + 1);
            }
            if (stale) {
                counts.setStale(counts.getStale() + 1);
                staleNames.add(name);
                problemNodes.add(RankedNode.stale(node, now));
            }
            if (!reported || stale || !current(node)) {
                behind.add(name);
            }
            if (!reported || stale) {
                continue;
            }
            TcpHealthNodeStatus status = node.getStatus();
            Boolean healthy = healthy(status);
            if (Boolean.TRUE.equals(healthy)) {
                counts.setHealthy(counts.getHealthy() + 1);
            } else if (Boolean.FALSE.equals(healthy)) {
                counts.setUnhealthy(counts.getUnhealthy() + 1);
                problemNodes.add(RankedNode.unhealthy(node));
                unhealthyNames.add(name);
            }
            RankedNode report = RankedNode.of(node);
            totals.setCloseWait(totals.getCloseWait() + report.summary().getCloseWait());
            totals.setFinWait1(totals.getFinWait1() + report.summary().getFinWait1());
            totals.setOrphans(totals.getOrphans() + report.summary().getOrphans());
            totals.setZombies(totals.getZombies() + report.summary().getZombies());
            totals.setFindings(totals.getFindings() + findingCount(status));
        }
        problemNodes.sort(RankedNode.WORST_FIRST);

        TcpHealthPolicyStatus status = new TcpHealthPolicyStatus();
        status.setObservedGeneration(generation);
        Remediation remediation =
                policy.getSpec() == null ? null : policy.getSpec().getRemediation();
        status.setMode(
                remediation == null || remediation.getMode() == null ? PolicyDefaults.MODE : remediation.getMode());
        status.setNodes(counts);
        status.setTotals(totals);
        status.setWorstNodes(problemNodes.stream()
                .limit(TcpHealthPolicyStatus.MAX_WORST_NODES)
                .map(RankedNode::summary)
                .toList());
        status.setWorstNodesTruncated(Math.max(0, problemNodes.size() - TcpHealthPolicyStatus.MAX_WORST_NODES));

        List<Condition> conditions = List.of(
                ready(problems, counts, behind, generation),
                degraded(problems, staleNames, unhealthyNames, generation),
                conflict(policy.getMetadata().getName(), nodes, generation));
        List<Condition> previous =
                policy.getStatus() == null ? List.of() : policy.getStatus().getConditions();
        status.setConditions(Conditions.carryTransitions(previous, conditions, now.truncatedTo(ChronoUnit.SECONDS)));
        return status;
    }

    /** The earliest time one of these nodes turns stale, so the status can be recomputed then. */
    public Optional<Instant> nextStaleness(List<TcpHealthNode> nodes, Instant now) {
        return nodes.stream()
                .map(liveness::staleAt)
                .flatMap(Optional::stream)
                .filter(at -> at.isAfter(now))
                .min(Comparator.naturalOrder());
    }

    private static Condition ready(List<String> problems, NodeCounts counts, List<String> behind, Long generation) {
        if (!problems.isEmpty()) {
            return Conditions.of(
                    Conditions.READY,
                    false,
                    ConditionReasons.INVALID_SPEC,
                    "Not applied to any node: see Degraded",
                    generation);
        }
        if (counts.getMatched() == 0) {
            return Conditions.of(
                    Conditions.READY,
                    false,
                    ConditionReasons.NO_MATCHING_NODES,
                    "No node matches the nodeSelector",
                    generation);
        }
        if (!behind.isEmpty()) {
            return Conditions.of(
                    Conditions.READY,
                    false,
                    ConditionReasons.WAITING_FOR_AGENTS,
                    behind.size() + " of " + counts.getMatched()
                            + " nodes have not reported the current configuration: " + names(behind),
                    generation);
        }
        return Conditions.of(
                Conditions.READY,
                true,
                ConditionReasons.IN_FORCE,
                "In force on " + counts.getMatched() + (counts.getMatched() == 1 ? " node" : " nodes"),
                generation);
    }

    private Condition degraded(
            List<String> problems, List<String> staleNames, List<String> unhealthyNames, Long generation) {
        if (!problems.isEmpty()) {
            return Conditions.of(
                    Conditions.DEGRADED,
                    true,
                    ConditionReasons.INVALID_SPEC,
                    "The operator cannot apply this policy: " + String.join("; ", problems),
                    generation);
        }
        List<String> sentences = new ArrayList<>();
        if (!staleNames.isEmpty()) {
            sentences.add(staleNames.size() + (staleNames.size() == 1 ? " node has" : " nodes have")
                    + " not reported for three reporting periods: " + names(staleNames));
        }
        if (!unhealthyNames.isEmpty()) {
            sentences.add(unhealthyNames.size() + (unhealthyNames.size() == 1 ? " node reports" : " nodes report")
                    + " findings (see worstNodes): " + names(unhealthyNames));
        }
        if (sentences.isEmpty()) {
            return Conditions.of(
                    Conditions.DEGRADED,
                    false,
                    ConditionReasons.AS_EXPECTED,
                    "Every matched node reports and is healthy",
                    generation);
        }
        // A silent agent is the more urgent news: nothing is known about its node.
        return Conditions.of(
                Conditions.DEGRADED,
                true,
                staleNames.isEmpty() ? ConditionReasons.NODES_UNHEALTHY : ConditionReasons.AGENTS_STALE,
                String.join("; ", sentences),
                generation);
    }

    /** Keys this policy sets but another policy wins, with the winners, over all its nodes. */
    private static Condition conflict(String policyName, List<TcpHealthNode> nodes, Long generation) {
        Map<String, TreeSet<String>> winnersByKey = new TreeMap<>();
        Map<String, TreeSet<String>> nodesByKey = new TreeMap<>();
        for (TcpHealthNode node : nodes) {
            if (node.getSpec() == null || node.getSpec().getConflicts() == null) {
                continue;
            }
            for (Conflict conflict : node.getSpec().getConflicts()) {
                if (conflict.getLosers() != null && conflict.getLosers().contains(policyName)) {
                    winnersByKey
                            .computeIfAbsent(conflict.getKey(), k -> new TreeSet<>())
                            .add(conflict.getWinner());
                    nodesByKey
                            .computeIfAbsent(conflict.getKey(), k -> new TreeSet<>())
                            .add(node.getMetadata().getName());
                }
            }
        }
        if (winnersByKey.isEmpty()) {
            return Conditions.of(
                    Conditions.CONFLICT,
                    false,
                    ConditionReasons.NO_CONFLICT,
                    "Every key this policy sets is in force",
                    generation);
        }
        List<String> parts = new ArrayList<>();
        winnersByKey.forEach((key, winners) -> {
            int count = nodesByKey.get(key).size();
            parts.add(key + " is overridden by policy "
                    + String.join(", ", winners.stream().map(w -> "'" + w + "'").toList()) + " on " + count
                    + (count == 1 ? " node" : " nodes"));
        });
        String message = String.join("; ", parts);
        return Conditions.of(
                Conditions.CONFLICT,
                true,
                ConditionReasons.OVERRIDDEN,
                message.length() > 1000 ? message.substring(0, 1000) + "..." : message,
                generation);
    }

    /** Whether the agent has seen the spec as it is now (when both sides say which generation that is). */
    private static boolean current(TcpHealthNode node) {
        Long seen = node.getStatus() == null ? null : node.getStatus().getObservedSpecGeneration();
        Long now = node.getMetadata().getGeneration();
        return seen == null || now == null || seen >= now;
    }

    static Boolean healthy(TcpHealthNodeStatus status) {
        Condition condition = Conditions.find(status.getConditions(), ConditionTypes.HEALTHY);
        if (condition == null) {
            return null;
        }
        return switch (condition.getStatus()) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    static long findingCount(TcpHealthNodeStatus status) {
        return (status.getFindings() == null ? 0 : status.getFindings().size()) + status.getFindingsTruncated();
    }

    static Severity worstSeverity(TcpHealthNodeStatus status) {
        return status.getFindings() == null
                ? null
                : status.getFindings().stream()
                        .map(NodeFinding::getSeverity)
                        .filter(Objects::nonNull)
                        .max(Comparator.naturalOrder())
                        .orElse(null);
    }

    private static String names(List<String> names) {
        String shown = String.join(", ", names.stream().limit(NAMES_IN_MESSAGE).toList());
        return names.size() > NAMES_IN_MESSAGE ? shown + " and " + (names.size() - NAMES_IN_MESSAGE) + " more" : shown;
    }
}
