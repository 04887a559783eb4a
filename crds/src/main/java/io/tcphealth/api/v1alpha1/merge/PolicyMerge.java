package io.tcphealth.api.v1alpha1.merge;

import io.tcphealth.api.v1alpha1.Conflict;
import io.tcphealth.api.v1alpha1.EffectiveRemediation;
import io.tcphealth.api.v1alpha1.EffectiveThresholds;
import io.tcphealth.api.v1alpha1.PolicyDefaults;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.Remediation;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.SysctlSetting;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import io.tcphealth.api.v1alpha1.Thresholds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Merges the policies that match one node into that node's effective configuration. Key by key, the
 * highest priority wins and equal priorities go to the name that sorts first; every value names the policy
 * it came from, and every key two policies set to different values is listed as a conflict. The operator merges
 * the policies that select a node; the agent on a plain host merges the policies of its files, with this same code.
 */
public final class PolicyMerge {

    /** Highest priority first, then by name: the order in which policies win. */
    public static final Comparator<TcpHealthPolicy> PRECEDENCE = Comparator.comparingInt(
                    (TcpHealthPolicy p) -> p.getSpec() == null ? 0 : p.getSpec().getPriority())
            .reversed()
            .thenComparing(p -> p.getMetadata().getName());

    /** The allow-listed sysctls: spec field, kernel key, value. */
    private record SysctlKey(String field, String kernelKey, Function<Sysctls, Integer> value) {}

    private static final List<SysctlKey> SYSCTLS = List.of(
            new SysctlKey("tcpKeepaliveTime", "net.ipv4.tcp_keepalive_time", Sysctls::getTcpKeepaliveTime),
            new SysctlKey("tcpKeepaliveIntvl", "net.ipv4.tcp_keepalive_intvl", Sysctls::getTcpKeepaliveIntvl),
            new SysctlKey("tcpKeepaliveProbes", "net.ipv4.tcp_keepalive_probes", Sysctls::getTcpKeepaliveProbes),
            new SysctlKey("tcpFinTimeout", "net.ipv4.tcp_fin_timeout", Sysctls::getTcpFinTimeout),
            new SysctlKey("tcpOrphanRetries", "net.ipv4.tcp_orphan_retries", Sysctls::getTcpOrphanRetries),
            new SysctlKey("tcpMaxOrphans", "net.ipv4.tcp_max_orphans", Sysctls::getTcpMaxOrphans),
            new SysctlKey("tcpRetries2", "net.ipv4.tcp_retries2", Sysctls::getTcpRetries2));

    /** The node spec's schema caps its conflict list at 64. */
    static final int MAX_CONFLICTS = 64;

    private PolicyMerge() {}

    /**
     * The effective configuration of a node matched by these policies (in any order). Departing policies are
     * not this function's concern; the spec it returns lists none.
     */
    public static TcpHealthNodeSpec merge(Collection<TcpHealthPolicy> matching) {
        List<TcpHealthPolicy> ordered = matching.stream()
                .sorted(PRECEDENCE)
                .limit(TcpHealthNodeSpec.MAX_POLICIES)
                .toList();
        Merger merger = new Merger(ordered);
        TcpHealthNodeSpec spec = new TcpHealthNodeSpec();
        spec.setPolicies(ordered.stream().map(p -> p.getMetadata().getName()).toList());
        spec.setInterval(merger.pick("interval", TcpHealthPolicySpec::getInterval));
        spec.setScope(merger.pick("scope", TcpHealthPolicySpec::getScope));
        spec.setPorts(
                merger.pick("ports", s -> s.getPorts() == null || s.getPorts().isEmpty() ? null : s.getPorts()));

        EffectiveThresholds thresholds = new EffectiveThresholds();
        thresholds.setCloseWaitPerProcess(
                merger.pick("thresholds.closeWaitPerProcess", s -> thresholds(s, Thresholds::getCloseWaitPerProcess)));
        thresholds.setFinWait1(merger.pick("thresholds.finWait1", s -> thresholds(s, Thresholds::getFinWait1)));
        orphanRatios(merger, ordered, thresholds);
        thresholds.setRecvQueueBytes(
                merger.pick("thresholds.recvQueueBytes", s -> thresholds(s, Thresholds::getRecvQueueBytes)));
        thresholds.setZombiesPerParent(
                merger.pick("thresholds.zombiesPerParent", s -> thresholds(s, Thresholds::getZombiesPerParent)));
        thresholds.setStuckAfter(merger.pick("thresholds.stuckAfter", s -> thresholds(s, Thresholds::getStuckAfter)));
        ephemeralPortRatios(merger, ordered, thresholds);
        thresholds.setListenOverflowsPerScan(merger.pick(
                "thresholds.listenOverflowsPerScan", s -> thresholds(s, Thresholds::getListenOverflowsPerScan)));
        thresholds.setStalledRetransmits(
                merger.pick("thresholds.stalledRetransmits", s -> thresholds(s, Thresholds::getStalledRetransmits)));
        thresholds.setZeroWindowProbes(
                merger.pick("thresholds.zeroWindowProbes", s -> thresholds(s, Thresholds::getZeroWindowProbes)));
        thresholds.setTcpMemoryRatioWarning(merger.pick(
                "thresholds.tcpMemoryRatioWarning", s -> thresholds(s, Thresholds::getTcpMemoryRatioWarning)));
        thresholds.setIdleWithoutKeepaliveAfter(merger.pick(
                "thresholds.idleWithoutKeepaliveAfter", s -> thresholds(s, Thresholds::getIdleWithoutKeepaliveAfter)));
        spec.setThresholds(thresholds);

        List<SysctlSetting> sysctls = new ArrayList<>();
        for (SysctlKey key : SYSCTLS) {
            Sourced<Integer> picked = merger.pick(
                    "sysctls." + key.field(),
                    s -> s.getSysctls() == null ? null : key.value().apply(s.getSysctls()));
            if (picked != null) {
                sysctls.add(new SysctlSetting(key.kernelKey(), picked.getValue().longValue(), picked.getSource()));
            }
        }
        spec.setSysctls(sysctls);

        EffectiveRemediation remediation = new EffectiveRemediation();
        Sourced<RemediationMode> mode = merger.pick("remediation.mode", s -> remediation(s, Remediation::getMode));
        // Nobody asking for a mode means the safe default, attributed to the policy that decides the rest.
        remediation.setMode(
                mode != null || ordered.isEmpty()
                        ? mode
                        : new Sourced<>(
                                PolicyDefaults.MODE,
                                ordered.getFirst().getMetadata().getName()));
        remediation.setKillSockets(
                merger.pick("remediation.killSockets", s -> remediation(s, Remediation::getKillSockets)));
        remediation.setFlushOrphans(
                merger.pick("remediation.flushOrphans", s -> remediation(s, Remediation::getFlushOrphans)));
        remediation.setZombies(merger.pick("remediation.zombies", s -> remediation(s, Remediation::getZombies)));
        spec.setRemediation(remediation);

        spec.setRestoreOnDelete(ordered.stream()
                .map(p -> new PolicyRestore(p.getMetadata().getName(), restoreOnDelete(p)))
                .toList());
        spec.setConflicts(merger.conflicts.stream().limit(MAX_CONFLICTS).toList());
        return spec;
    }

    /** Whether deleting (or unselecting) this policy undoes its changes; true unless the policy says no. */
    public static boolean restoreOnDelete(TcpHealthPolicy policy) {
        Remediation remediation =
                policy.getSpec() == null ? null : policy.getSpec().getRemediation();
        return remediation == null || !Boolean.FALSE.equals(remediation.getRestoreOnDelete());
    }

    /**
     * The two orphan ratios, key by key like the rest, unless the picks would cross (a warning from one policy
     * at or above a critical ratio from another, each valid in its own policy with the other at its default):
     * then both come from the policy that wins the first of them, and the other key records the conflict.
     */
    private static void orphanRatios(Merger merger, List<TcpHealthPolicy> ordered, EffectiveThresholds out) {
        orderedRatios(
                merger,
                ordered,
                new RatioPair(
                        "orphanRatioWarning",
                        "orphanRatioCritical",
                        Thresholds::getOrphanRatioWarning,
                        Thresholds::getOrphanRatioCritical,
                        PolicyDefaults.ORPHAN_RATIO_WARNING,
                        PolicyDefaults.ORPHAN_RATIO_CRITICAL,
                        out::setOrphanRatioWarning,
                        out::setOrphanRatioCritical));
    }

    private static void ephemeralPortRatios(Merger merger, List<TcpHealthPolicy> ordered, EffectiveThresholds out) {
        orderedRatios(
                merger,
                ordered,
                new RatioPair(
                        "ephemeralPortRatioWarning",
                        "ephemeralPortRatioCritical",
                        Thresholds::getEphemeralPortRatioWarning,
                        Thresholds::getEphemeralPortRatioCritical,
                        PolicyDefaults.EPHEMERAL_PORT_RATIO_WARNING,
                        PolicyDefaults.EPHEMERAL_PORT_RATIO_CRITICAL,
                        out::setEphemeralPortRatioWarning,
                        out::setEphemeralPortRatioCritical));
    }

    /** A warning ratio and its critical twin, which must stay in order after merging. */
    private record RatioPair(
            String warningName,
            String criticalName,
            Function<Thresholds, Double> warningField,
            Function<Thresholds, Double> criticalField,
            double warningDefault,
            double criticalDefault,
            java.util.function.Consumer<Sourced<Double>> setWarning,
            java.util.function.Consumer<Sourced<Double>> setCritical) {}

    /**
     * Picks both ratios of a pair; when the picks (from different policies) would cross, both come from the
     * policy that decides the first of them, and the other's value is reported as a conflict.
     */
    private static void orderedRatios(Merger merger, List<TcpHealthPolicy> ordered, RatioPair pair) {
        Sourced<Double> warning =
                merger.pick("thresholds." + pair.warningName(), s -> thresholds(s, pair.warningField()));
        Sourced<Double> critical =
                merger.pick("thresholds." + pair.criticalName(), s -> thresholds(s, pair.criticalField()));
        if (value(warning, pair.warningDefault()) >= value(critical, pair.criticalDefault())) {
            String leader = ordered.stream()
                    .map(p -> p.getMetadata().getName())
                    .filter(n -> n.equals(warning.getSource()) || n.equals(critical.getSource()))
                    .findFirst()
                    .orElseThrow();
            TcpHealthPolicy policy = ordered.stream()
                    .filter(p -> p.getMetadata().getName().equals(leader))
                    .findFirst()
                    .orElseThrow();
            boolean warningLeads = leader.equals(warning.getSource());
            Sourced<Double> dropped = warningLeads ? critical : warning;
            Double own = thresholds(policy.getSpec(), warningLeads ? pair.criticalField() : pair.warningField());
            Sourced<Double> kept = own == null ? null : new Sourced<>(own, leader);
            String key = "thresholds." + (warningLeads ? pair.criticalName() : pair.warningName());
            merger.conflict(
                    key,
                    leader,
                    dropped.getSource(),
                    key + ": " + dropped.getValue() + " from '"
                            + dropped.getSource() + "' is left out: it would cross thresholds."
                            + (warningLeads
                                    ? pair.warningName() + " " + warning.getValue()
                                    : pair.criticalName() + " " + critical.getValue())
                            + " from policy '" + leader + "', so both ratios come from '" + leader + "'");
            if (warningLeads) {
                pair.setWarning().accept(warning);
                pair.setCritical().accept(kept);
            } else {
                pair.setWarning().accept(kept);
                pair.setCritical().accept(critical);
            }
            return;
        }
        pair.setWarning().accept(warning);
        pair.setCritical().accept(critical);
    }

    private static double value(Sourced<Double> sourced, double fallback) {
        return sourced == null ? fallback : sourced.getValue();
    }

    private static <T> T thresholds(TcpHealthPolicySpec spec, Function<Thresholds, T> field) {
        return spec.getThresholds() == null ? null : field.apply(spec.getThresholds());
    }

    private static <T> T remediation(TcpHealthPolicySpec spec, Function<Remediation, T> field) {
        return spec.getRemediation() == null ? null : field.apply(spec.getRemediation());
    }

    /** Picks values key by key over policies already in precedence order, collecting conflicts. */
    private static final class Merger {
        private final List<TcpHealthPolicy> ordered;
        private final List<Conflict> conflicts = new ArrayList<>();

        Merger(List<TcpHealthPolicy> ordered) {
            this.ordered = ordered;
        }

        /** A conflict found outside {@link #pick}, for keys that must agree with each other. */
        void conflict(String key, String winner, String loser, String message) {
            Conflict conflict = new Conflict();
            conflict.setKey(key);
            conflict.setWinner(winner);
            conflict.setLosers(List.of(loser));
            conflict.setMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message);
            conflicts.add(conflict);
        }

        <T> Sourced<T> pick(String key, Function<TcpHealthPolicySpec, T> field) {
            TcpHealthPolicy winner = null;
            T value = null;
            List<TcpHealthPolicy> losers = new ArrayList<>();
            List<T> loserValues = new ArrayList<>();
            for (TcpHealthPolicy policy : ordered) {
                T candidate = policy.getSpec() == null ? null : field.apply(policy.getSpec());
                if (candidate == null) {
                    continue;
                }
                if (winner == null) {
                    winner = policy;
                    value = candidate;
                } else if (!Objects.equals(value, candidate)) {
                    losers.add(policy);
                    loserValues.add(candidate);
                }
            }
            if (winner == null) {
                return null;
            }
            if (!losers.isEmpty()) {
                Conflict conflict = new Conflict();
                conflict.setKey(key);
                conflict.setWinner(winner.getMetadata().getName());
                conflict.setLosers(
                        losers.stream().map(p -> p.getMetadata().getName()).toList());
                StringBuilder message = new StringBuilder(key)
                        .append(": ")
                        .append(value)
                        .append(" from policy '")
                        .append(winner.getMetadata().getName())
                        .append("' (priority ")
                        .append(winner.getSpec().getPriority())
                        .append(") overrides ");
                for (int i = 0; i < losers.size(); i++) {
                    message.append(i == 0 ? "" : ", ")
                            .append(loserValues.get(i))
                            .append(" from '")
                            .append(losers.get(i).getMetadata().getName())
                            .append("' (priority ")
                            .append(losers.get(i).getSpec().getPriority())
                            .append(")");
                }
                conflict.setMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message.toString());
                conflicts.add(conflict);
            }
            return new Sourced<>(value, winner.getMetadata().getName());
        }
    }
}
