package io.tcphealth.agent.policy;

import io.tcphealth.agent.diagnosis.ConnectionThresholds;
import io.tcphealth.agent.diagnosis.DiagnosisThresholds;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.FlushOrphans;
import io.tcphealth.api.v1alpha1.GoDuration;
import io.tcphealth.api.v1alpha1.KillSockets;
import io.tcphealth.api.v1alpha1.PolicyDefaults;
import io.tcphealth.api.v1alpha1.Remediation;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Scope;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import io.tcphealth.api.v1alpha1.Thresholds;
import io.tcphealth.api.v1alpha1.ZombieRemediation;
import io.tcphealth.api.v1alpha1.validation.PolicyRules;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a policy completely before anything is changed, with the rules every entry point shares
 * ({@link PolicyRules}), and turns it into an {@link AgentPolicy}, filling in {@link PolicyDefaults} for what
 * the policy leaves unset.
 */
public final class PolicyValidator {

    /**
     * @param source names the policy in messages, such as its file
     * @throws PolicyException listing every problem found, each naming its field
     */
    public AgentPolicy validate(String source, TcpHealthPolicy policy) throws PolicyException {
        List<String> problems = PolicyRules.problems(policy);
        if (!problems.isEmpty()) {
            throw new PolicyException(source, problems);
        }
        TcpHealthPolicySpec spec = policy.getSpec() == null ? new TcpHealthPolicySpec() : policy.getSpec();
        Thresholds t = spec.getThresholds() == null ? new Thresholds() : spec.getThresholds();
        DiagnosisThresholds d = DiagnosisThresholds.DEFAULTS;
        DiagnosisThresholds thresholds = new DiagnosisThresholds(
                or(t.getCloseWaitPerProcess(), d.closeWaitPerProcess()),
                or(t.getFinWait1(), d.finWait1()),
                t.getOrphanRatioWarning() == null ? d.orphanRatioWarning() : t.getOrphanRatioWarning(),
                t.getOrphanRatioCritical() == null ? d.orphanRatioCritical() : t.getOrphanRatioCritical(),
                t.getRecvQueueBytes() == null ? d.recvQueueBytes() : t.getRecvQueueBytes(),
                or(t.getZombiesPerParent(), d.zombiesPerParent()),
                duration(t.getStuckAfter(), PolicyDefaults.STUCK_AFTER),
                d.fdUsageWarning(),
                d.fdUsageCritical(),
                connections(t));
        Remediation r = spec.getRemediation() == null ? new Remediation() : spec.getRemediation();
        RemediationMode mode = r.getMode() == null ? PolicyDefaults.MODE : r.getMode();
        Scope scope = spec.getScope() == null ? PolicyDefaults.SCOPE : spec.getScope();
        return new AgentPolicy(
                policy.getMetadata().getName(),
                duration(spec.getInterval(), PolicyDefaults.INTERVAL),
                scope == Scope.AllNamespaces ? ScanScope.ALL : ScanScope.HOST,
                spec.getPorts() == null ? List.of() : spec.getPorts(),
                thresholds,
                sysctls(spec.getSysctls()),
                mode,
                kill(r.getKillSockets()),
                pulse(r.getFlushOrphans()),
                zombies(r.getZombies()),
                r.getRestoreOnDelete() == null ? PolicyDefaults.RESTORE_ON_DELETE : r.getRestoreOnDelete());
    }

    /** The connection-level thresholds, each at its default when unset; PolicyRules checked their bounds. */
    private static ConnectionThresholds connections(Thresholds t) {
        ConnectionThresholds d = ConnectionThresholds.DEFAULTS;
        return new ConnectionThresholds(
                t.getEphemeralPortRatioWarning() == null
                        ? d.ephemeralPortRatioWarning()
                        : t.getEphemeralPortRatioWarning(),
                t.getEphemeralPortRatioCritical() == null
                        ? d.ephemeralPortRatioCritical()
                        : t.getEphemeralPortRatioCritical(),
                t.getListenOverflowsPerScan() == null ? d.listenOverflowsPerScan() : t.getListenOverflowsPerScan(),
                t.getStalledRetransmits() == null ? d.stalledRetransmits() : t.getStalledRetransmits(),
                t.getZeroWindowProbes() == null ? d.zeroWindowProbes() : t.getZeroWindowProbes(),
                t.getTcpMemoryRatioWarning() == null ? d.tcpMemoryRatioWarning() : t.getTcpMemoryRatioWarning(),
                t.getIdleWithoutKeepaliveAfter() == null
                        ? d.idleWithoutKeepaliveAfter()
                        : GoDuration.parse(t.getIdleWithoutKeepaliveAfter()));
    }

    private static AgentPolicy.KillRule kill(KillSockets k) {
        if (k == null) {
            return null;
        }
        Set<TcpState> states = EnumSet.noneOf(TcpState.class);
        k.getStates().forEach(s -> states.add(TcpState.valueOf(s.name())));
        List<Integer> ports = k.getPorts() == null ? List.of() : k.getPorts();
        List<String> processes = k.getProcesses() == null ? List.of() : k.getProcesses();
        return new AgentPolicy.KillRule(
                states,
                new LinkedHashSet<>(ports),
                duration(k.getOlderThan(), PolicyDefaults.KILL_OLDER_THAN),
                k.getMaxPerScan() == null ? PolicyDefaults.KILL_MAX_PER_SCAN : k.getMaxPerScan(),
                new LinkedHashSet<>(processes.stream().filter(Objects::nonNull).toList()));
    }

    private static AgentPolicy.PulseRule pulse(FlushOrphans f) {
        boolean enabled = f != null && (f.getEnabled() == null ? PolicyDefaults.FLUSH_ENABLED : f.getEnabled());
        return enabled
                ? new AgentPolicy.PulseRule(
                        f.getWhenOrphansAbove(),
                        duration(f.getMaxDuration(), PolicyDefaults.FLUSH_MAX_DURATION),
                        duration(f.getCooldown(), PolicyDefaults.FLUSH_COOLDOWN))
                : null;
    }

    private static AgentPolicy.ZombieRule zombies(ZombieRemediation z) {
        boolean enabled =
                z != null && (z.getSignalParent() == null ? PolicyDefaults.ZOMBIES_SIGNAL_PARENT : z.getSignalParent());
        return enabled
                ? new AgentPolicy.ZombieRule(duration(z.getOlderThan(), PolicyDefaults.ZOMBIES_OLDER_THAN))
                : null;
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

    /** A duration the rules already accepted, or the default when unset. */
    private static Duration duration(String text, String fallback) {
        return GoDuration.parse(text == null ? fallback : text);
    }

    private static long or(Integer value, long fallback) {
        return value == null ? fallback : value;
    }
}
