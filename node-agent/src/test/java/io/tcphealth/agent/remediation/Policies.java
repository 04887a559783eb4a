package io.tcphealth.agent.remediation;

import io.tcphealth.agent.diagnosis.DiagnosisThresholds;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.RemediationMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Policies for remediation tests, built directly in the agent's types. */
final class Policies {
    private Policies() {}

    static AgentPolicy sysctls(RemediationMode mode, Map<SysctlKey, Long> values) {
        return new AgentPolicy(
                "p",
                Duration.ofSeconds(30),
                ScanScope.HOST,
                List.of(9080),
                DiagnosisThresholds.DEFAULTS,
                values,
                mode,
                null,
                null,
                null,
                true);
    }

    static AgentPolicy.KillRule kill(int maxPerScan, TcpState... states) {
        return new AgentPolicy.KillRule(Set.of(states), Set.of(9080), Duration.ofMinutes(10), maxPerScan, Set.of());
    }

    static AgentPolicy with(
            RemediationMode mode,
            AgentPolicy.KillRule kill,
            AgentPolicy.PulseRule pulse,
            AgentPolicy.ZombieRule zombies) {
        return new AgentPolicy(
                "p",
                Duration.ofSeconds(30),
                ScanScope.HOST,
                List.of(9080),
                DiagnosisThresholds.DEFAULTS,
                Map.of(),
                mode,
                kill,
                pulse,
                zombies,
                true);
    }

    static AgentPolicy.PulseRule pulse(Integer above) {
        return new AgentPolicy.PulseRule(above, Duration.ofSeconds(2), Duration.ofMinutes(10));
    }
}
