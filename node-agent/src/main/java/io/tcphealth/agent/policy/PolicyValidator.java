package io.tcphealth.agent.policy;

import io.tcphealth.agent.diagnosis.ConnectionThresholds;
import io.tcphealth.agent.diagnosis.Thresholds;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.FlushOrphans;
import io.tcphealth.api.v1alpha1.GoDuration;
import io.tcphealth.api.v1alpha1.KillSockets;
import io.tcphealth.api.v1alpha1.Remediation;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Scope;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import io.tcphealth.api.v1alpha1.ZombieRemediation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a policy completely before anything is changed and turns it into an {@link AgentPolicy}.
 * The schema's bounds come from the API types' annotations ({@link SchemaBounds}); the CEL rules of
 * the CRD are written out here in Java, with the same limits and the same field names.
 */
public final class PolicyValidator {
    /** Only states in which one side has already closed: destroying others would cut live traffic. */
    static final Set<TcpState> KILLABLE = EnumSet.of(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2,
            TcpState.LAST_ACK, TcpState.CLOSING);

    /**
     * @param source names the policy in messages, such as its file
     * @throws PolicyException listing every problem found, each naming its field
     */
    public AgentPolicy validate(String source, TcpHealthPolicy policy) throws PolicyException {
        List<String> problems = new ArrayList<>();
        String name = policy.getMetadata() == null ? null : policy.getMetadata().getName();
        if (name == null || name.isBlank()) {
            problems.add("metadata.name: required (every change is recorded under the policy's name)");
        }
        TcpHealthPolicySpec spec = policy.getSpec() == null ? new TcpHealthPolicySpec() : policy.getSpec();
        problems.addAll(SchemaBounds.check("spec", spec));

        Duration interval = duration(problems, "spec.interval", spec.getInterval(), "30s",
                d -> d.compareTo(Duration.ofSeconds(5)) < 0 ? "must be at least 5s"
                        : d.compareTo(Duration.ofHours(1)) > 0 ? "must be at most 1h" : null);
        List<Integer> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
        ports(problems, "spec.ports", ports);

        io.tcphealth.api.v1alpha1.Thresholds t = spec.getThresholds() == null
                ? new io.tcphealth.api.v1alpha1.Thresholds() : spec.getThresholds();
        Duration stuckAfter = duration(problems, "spec.thresholds.stuckAfter", t.getStuckAfter(), "5m",
                d -> d.compareTo(Duration.ofDays(1)) >= 0 ? "must be shorter than a day"
                        : d.isZero() ? "must be more than 0s" : null);
        double warn = t.getOrphanRatioWarning() == null ? 0.25 : t.getOrphanRatioWarning();
        double crit = t.getOrphanRatioCritical() == null ? 0.5 : t.getOrphanRatioCritical();
        if (!(warn < crit)) {
            problems.add("spec.thresholds.orphanRatioWarning: must be lower than orphanRatioCritical");
        }
        if (warn <= 0) {
            problems.add("spec.thresholds.orphanRatioWarning: must be above 0");
        }
        ConnectionThresholds connections = connections(problems, t);

        Remediation r = spec.getRemediation() == null ? new Remediation() : spec.getRemediation();
        RemediationMode mode = r.getMode() == null ? RemediationMode.Observe : r.getMode();
        AgentPolicy.KillRule kill = kill(problems, r.getKillSockets());
        AgentPolicy.PulseRule pulse = pulse(problems, r.getFlushOrphans());
        AgentPolicy.ZombieRule zombies = zombies(problems, r.getZombies());
        Map<SysctlKey, Long> sysctls = sysctls(spec.getSysctls());

        if (!problems.isEmpty()) {
            throw new PolicyException(source, problems);
        }
        Thresholds d = Thresholds.DEFAULTS;
        Thresholds thresholds = new Thresholds(
                or(t.getCloseWaitPerProcess(), d.closeWaitPerProcess()),
                or(t.getFinWait1(), d.finWait1()),
                warn, crit,
                t.getRecvQueueBytes() == null ? d.recvQueueBytes() : t.getRecvQueueBytes(),
                or(t.getZombiesPerParent(), d.zombiesPerParent()),
                stuckAfter, d.fdUsageWarning(), d.fdUsageCritical(), connections);
        ScanScope scope = spec.getScope() == Scope.AllNamespaces ? ScanScope.ALL : ScanScope.HOST;
        return new AgentPolicy(name, interval, scope, ports, thresholds, sysctls, mode, kill, pulse, zombies,
                r.getRestoreOnDelete() == null || r.getRestoreOnDelete());
    }

    /** The connection-level thresholds; the schema's bounds are checked already, the CEL rule here. */
    private static ConnectionThresholds connections(List<String> problems, io.tcphealth.api.v1alpha1.Thresholds t) {
        ConnectionThresholds d = ConnectionThresholds.DEFAULTS;
        double warn = t.getEphemeralPortRatioWarning() == null ? d.ephemeralPortRatioWarning() : t.getEphemeralPortRatioWarning();
        double crit = t.getEphemeralPortRatioCritical() == null ? d.ephemeralPortRatioCritical() : t.getEphemeralPortRatioCritical();
        double memory = t.getTcpMemoryRatioWarning() == null ? d.tcpMemoryRatioWarning() : t.getTcpMemoryRatioWarning();
        if (!(warn < crit)) {
            problems.add("spec.thresholds.ephemeralPortRatioWarning: must be lower than ephemeralPortRatioCritical");
        }
        if (warn <= 0) {
            problems.add("spec.thresholds.ephemeralPortRatioWarning: must be above 0");
        }
        if (memory <= 0) {
            problems.add("spec.thresholds.tcpMemoryRatioWarning: must be above 0");
        }
        if (!(warn > 0 && warn < crit && crit <= 1 && memory > 0 && memory <= 1)) {
            return d;
        }
        return new ConnectionThresholds(warn, crit,
                t.getListenOverflowsPerScan() == null ? d.listenOverflowsPerScan() : Math.max(1, t.getListenOverflowsPerScan()),
                t.getStalledRetransmits() == null ? d.stalledRetransmits() : Math.max(1, t.getStalledRetransmits()),
                t.getZeroWindowProbes() == null ? d.zeroWindowProbes() : Math.max(1, t.getZeroWindowProbes()),
                memory);
    }

    private static AgentPolicy.KillRule kill(List<String> problems, KillSockets k) {
        if (k == null) {
            return null;
        }
        Set<TcpState> states = EnumSet.noneOf(TcpState.class);
        Set<String> seen = new HashSet<>();
        List<io.tcphealth.api.v1alpha1.TcpState> listed = k.getStates() == null ? List.of() : k.getStates();
        for (io.tcphealth.api.v1alpha1.TcpState s : listed) {
            if (s == null) {
                problems.add("spec.remediation.killSockets.states: an entry is empty");
                continue;
            }
            if (!seen.add(s.name())) {
                problems.add("spec.remediation.killSockets.states: lists " + s + " twice");
            }
            TcpState state = TcpState.valueOf(s.name());
            if (!KILLABLE.contains(state)) {
                problems.add("spec.remediation.killSockets.states: " + s + " is not allowed; only closing states "
                        + "(CLOSE_WAIT, FIN_WAIT1, FIN_WAIT2, LAST_ACK, CLOSING): destroying ESTABLISHED, LISTEN or "
                        + "handshake sockets would cut live traffic");
            }
            states.add(state);
        }
        List<Integer> ports = k.getPorts() == null ? List.of() : k.getPorts();
        ports(problems, "spec.remediation.killSockets.ports", ports);
        Duration olderThan = duration(problems, "spec.remediation.killSockets.olderThan", k.getOlderThan(), "10m",
                d -> d.compareTo(Duration.ofSeconds(30)) < 0
                        ? "must be at least 30s: younger sockets are often still closing normally" : null);
        int max = k.getMaxPerScan() == null ? 100 : k.getMaxPerScan();
        List<String> processes = k.getProcesses() == null ? List.of() : k.getProcesses();
        for (String p : processes) {
            if (p == null || p.isEmpty() || p.length() > 15) {
                problems.add("spec.remediation.killSockets.processes: '" + p + "' is not a command name as the kernel keeps"
                        + " it (1 to 15 characters)");
            }
        }
        return new AgentPolicy.KillRule(states, new LinkedHashSet<>(ports), olderThan, max,
                new LinkedHashSet<>(processes.stream().filter(java.util.Objects::nonNull).toList()));
    }

    private static AgentPolicy.PulseRule pulse(List<String> problems, FlushOrphans f) {
        if (f == null) {
            return null;
        }
        Duration max = duration(problems, "spec.remediation.flushOrphans.maxDuration", f.getMaxDuration(), "10s",
                d -> d.isZero() || d.compareTo(Duration.ofSeconds(60)) > 0
                        ? "must be more than 0s and at most 60s: while the limit is 0 the kernel resets every socket "
                        + "that becomes orphaned" : null);
        Duration cooldown = duration(problems, "spec.remediation.flushOrphans.cooldown", f.getCooldown(), "10m",
                d -> d.compareTo(Duration.ofMinutes(1)) < 0 ? "must be at least 1m" : null);
        return Boolean.TRUE.equals(f.getEnabled()) ? new AgentPolicy.PulseRule(f.getWhenOrphansAbove(), max, cooldown) : null;
    }

    private static AgentPolicy.ZombieRule zombies(List<String> problems, ZombieRemediation z) {
        if (z == null) {
            return null;
        }
        Duration olderThan = duration(problems, "spec.remediation.zombies.olderThan", z.getOlderThan(), "5m",
                d -> d.compareTo(Duration.ofSeconds(10)) < 0 ? "must be at least 10s" : null);
        return Boolean.TRUE.equals(z.getSignalParent()) ? new AgentPolicy.ZombieRule(olderThan) : null;
    }

    /** The allow-list: one policy field per key; bounds were checked from the field annotations. */
    private static Map<SysctlKey, Long> sysctls(Sysctls s) {
        Map<SysctlKey, Long> out = new EnumMap<>(SysctlKey.class);
        if (s == null) {
            return out;
        }
        put(out, SysctlKey.TCP_KEEPALIVE_TIME, s.getTcpKeepaliveTime());
        put(out, SysctlKey.TCP_KEEPALIVE_INTVL, s.getTcpKeepaliveIntvl());
        put(out, SysctlKey.TCP_KEEPALIVE_PROBES, s.getTcpKeepaliveProbes());
        put(out, SysctlKey.TCP_FIN_TIMEOUT, s.getTcpFinTimeout());
        put(out, SysctlKey.TCP_ORPHAN_RETRIES, s.getTcpOrphanRetries());
        put(out, SysctlKey.TCP_MAX_ORPHANS, s.getTcpMaxOrphans());
        put(out, SysctlKey.TCP_RETRIES2, s.getTcpRetries2());
        return out;
    }

    private static void put(Map<SysctlKey, Long> out, SysctlKey key, Integer value) {
        if (value != null) {
            out.put(key, value.longValue());
        }
    }

    private static void ports(List<String> problems, String field, List<Integer> ports) {
        Set<Integer> seen = new HashSet<>();
        for (Integer p : ports) {
            if (p == null || p < 1 || p > 65535) {
                problems.add(field + ": ports must be between 1 and 65535, got " + p);
            } else if (!seen.add(p)) {
                problems.add(field + ": lists port " + p + " twice");
            }
        }
    }

    /** Parses a duration field; malformed text was already reported by the schema's pattern. */
    private static Duration duration(List<String> problems, String field, String text, String fallback,
            Function<Duration, String> rule) {
        String value = text == null ? fallback : text;
        Duration d;
        try {
            d = GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            if (problems.stream().noneMatch(p -> p.startsWith(field + ":"))) {
                problems.add(field + ": " + e.getMessage());
            }
            return GoDuration.parse(fallback);
        }
        String problem = rule.apply(d);
        if (problem != null) {
            problems.add(field + ": " + problem + " (got " + value + ")");
        }
        return d;
    }

    private static long or(Integer value, long fallback) {
        return value == null ? fallback : value;
    }
}
