package io.tcphealth.agent.policy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.api.v1alpha1.EffectiveRemediation;
import io.tcphealth.api.v1alpha1.EffectiveThresholds;
import io.tcphealth.api.v1alpha1.Remediation;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.SysctlSetting;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import io.tcphealth.api.v1alpha1.Thresholds;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A node's merged spec (what the operator wrote into its TcpHealthNode, or what the same merge made of local
 * policy files) as the policy the agent's round runs: unwrapped from its per-value sources and checked by the same validator as a policy file, so a
 * hand-edited spec gets the same bounds. Pure.
 *
 * <p>The round records one policy name with every change it makes. It is the policy the remediation mode
 * came from (the one that asked for changes), else the highest-priority policy.
 */
public final class EffectivePolicy {
    /** The name used while no policy applies to the node (only departing ones, or none yet). */
    public static final String NONE = "(none)";

    private final PolicyValidator validator = new PolicyValidator();

    public AgentPolicy of(TcpHealthNodeSpec spec) throws PolicyException {
        return of("TcpHealthNode spec", spec);
    }

    /** @param source names the spec in messages */
    public AgentPolicy of(String source, TcpHealthNodeSpec spec) throws PolicyException {
        return validator.validate(source, policy(spec));
    }

    /** The node's spec as one TcpHealthPolicy; unset values stay unset so the policy defaults apply. */
    static TcpHealthPolicy policy(TcpHealthNodeSpec spec) {
        TcpHealthPolicy policy = new TcpHealthPolicy();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name(spec));
        policy.setMetadata(meta);
        TcpHealthPolicySpec out = new TcpHealthPolicySpec();
        value(spec.getInterval()).ifPresent(out::setInterval);
        value(spec.getScope()).ifPresent(out::setScope);
        value(spec.getPorts()).ifPresent(out::setPorts);
        out.setThresholds(thresholds(spec.getThresholds()));
        out.setSysctls(sysctls(spec));
        out.setRemediation(remediation(spec.getRemediation()));
        // Changes are journaled with the restoreOnDelete of the policy they are recorded under.
        if (spec.getRestoreOnDelete() != null) {
            spec.getRestoreOnDelete().stream()
                    .filter(r -> meta.getName().equals(r.getPolicy()) && r.getRestoreOnDelete() != null)
                    .findFirst()
                    .ifPresent(r -> out.getRemediation().setRestoreOnDelete(r.getRestoreOnDelete()));
        }
        policy.setSpec(out);
        return policy;
    }

    static String name(TcpHealthNodeSpec spec) {
        EffectiveRemediation r = spec.getRemediation();
        if (r != null
                && r.getMode() != null
                && r.getMode().getSource() != null
                && r.getMode().getValue() != RemediationMode.Observe) {
            return r.getMode().getSource();
        }
        return spec.getPolicies() == null || spec.getPolicies().isEmpty()
                ? NONE
                : spec.getPolicies().getFirst();
    }

    private static Thresholds thresholds(EffectiveThresholds e) {
        Thresholds t = new Thresholds();
        if (e == null) {
            return t;
        }
        value(e.getCloseWaitPerProcess()).ifPresent(t::setCloseWaitPerProcess);
        value(e.getFinWait1()).ifPresent(t::setFinWait1);
        value(e.getOrphanRatioWarning()).ifPresent(t::setOrphanRatioWarning);
        value(e.getOrphanRatioCritical()).ifPresent(t::setOrphanRatioCritical);
        value(e.getRecvQueueBytes()).ifPresent(t::setRecvQueueBytes);
        value(e.getZombiesPerParent()).ifPresent(t::setZombiesPerParent);
        value(e.getStuckAfter()).ifPresent(t::setStuckAfter);
        value(e.getEphemeralPortRatioWarning()).ifPresent(t::setEphemeralPortRatioWarning);
        value(e.getEphemeralPortRatioCritical()).ifPresent(t::setEphemeralPortRatioCritical);
        value(e.getListenOverflowsPerScan()).ifPresent(t::setListenOverflowsPerScan);
        value(e.getStalledRetransmits()).ifPresent(t::setStalledRetransmits);
        value(e.getZeroWindowProbes()).ifPresent(t::setZeroWindowProbes);
        value(e.getTcpMemoryRatioWarning()).ifPresent(t::setTcpMemoryRatioWarning);
        value(e.getIdleWithoutKeepaliveAfter()).ifPresent(t::setIdleWithoutKeepaliveAfter);
        return t;
    }

    /** Kernel keys back to the policy's typed fields; an unknown key is left out (the operator only writes known ones). */
    private static Sysctls sysctls(TcpHealthNodeSpec spec) {
        if (spec.getSysctls() == null || spec.getSysctls().isEmpty()) {
            return null;
        }
        Map<String, SysctlKey> byName = new HashMap<>();
        Arrays.stream(SysctlKey.values()).forEach(k -> byName.put(k.dottedName(), k));
        Sysctls s = new Sysctls();
        for (SysctlSetting setting : spec.getSysctls()) {
            SysctlKey key = byName.get(setting.getName());
            if (key == null || setting.getValue() == null) {
                continue;
            }
            Integer v = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, setting.getValue()));
            switch (key) {
                case TCP_KEEPALIVE_TIME -> s.setTcpKeepaliveTime(v);
                case TCP_KEEPALIVE_INTVL -> s.setTcpKeepaliveIntvl(v);
                case TCP_KEEPALIVE_PROBES -> s.setTcpKeepaliveProbes(v);
                case TCP_FIN_TIMEOUT -> s.setTcpFinTimeout(v);
                case TCP_ORPHAN_RETRIES -> s.setTcpOrphanRetries(v);
                case TCP_MAX_ORPHANS -> s.setTcpMaxOrphans(v);
                case TCP_RETRIES2 -> s.setTcpRetries2(v);
                case SOMAXCONN -> {
                    // not a policy field
                }
            }
        }
        return s;
    }

    private static Remediation remediation(EffectiveRemediation e) {
        Remediation r = new Remediation();
        if (e == null) {
            return r;
        }
        value(e.getMode()).ifPresent(r::setMode);
        value(e.getKillSockets()).ifPresent(r::setKillSockets);
        value(e.getFlushOrphans()).ifPresent(r::setFlushOrphans);
        value(e.getZombies()).ifPresent(r::setZombies);
        return r;
    }

    private static <T> Optional<T> value(Sourced<T> sourced) {
        return Optional.ofNullable(sourced).map(Sourced::getValue);
    }
}
