package io.tcphealth.agent.policy;

import io.tcphealth.agent.diagnosis.DiagnosisSettings;
import io.tcphealth.agent.diagnosis.DiagnosisThresholds;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.RemediationMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated policy in the agent's own types: durations parsed, defaults filled in, disabled steps
 * absent (null). Built only by {@link PolicyValidator}, so every value here is within its bounds.
 *
 * @param name            the policy's metadata.name, recorded with every change it causes
 * @param sysctls         the values to hold, in the order of {@link SysctlKey}
 * @param kill            destroying sockets, or null when not configured
 * @param pulse           the orphan flush pulse, or null when not enabled
 * @param zombies         signalling zombies' parents, or null when not enabled
 * @param restoreOnDelete put changed values back when the policy no longer wants them
 */
public record AgentPolicy(
        String name,
        Duration interval,
        ScanScope scope,
        List<Integer> ports,
        DiagnosisThresholds thresholds,
        Map<SysctlKey, Long> sysctls,
        RemediationMode mode,
        KillRule kill,
        PulseRule pulse,
        ZombieRule zombies,
        boolean restoreOnDelete) {

    public AgentPolicy {
        ports = List.copyOf(ports);
        sysctls = Map.copyOf(sysctls);
    }

    /**
     * Which sockets may be destroyed.
     *
     * @param ports local ports; empty means any
     */
    public record KillRule(
            Set<TcpState> states, Set<Integer> ports, Duration olderThan, int maxPerScan, Set<String> processes) {
        public KillRule {
            states = Set.copyOf(states);
            ports = Set.copyOf(ports);
            processes = Set.copyOf(processes);
        }

        public boolean matchesPort(int localPort) {
            return ports.isEmpty() || ports.contains(localPort);
        }

        /**
         * @param ownerCommands command names of the processes holding the socket; empty for an orphan
         * @return true when no process is named, or one of the owners is named (orphans never match then)
         */
        public boolean matchesOwners(java.util.Collection<String> ownerCommands) {
            return processes.isEmpty() || ownerCommands.stream().anyMatch(processes::contains);
        }
    }

    /** @param whenOrphansAbove null: when orphans hold a port of interest or orphan pressure is critical */
    public record PulseRule(Integer whenOrphansAbove, Duration maxDuration, Duration cooldown) {}

    public record ZombieRule(Duration olderThan) {}

    public DiagnosisSettings diagnosisSettings() {
        return new DiagnosisSettings(thresholds, ports);
    }

    /** The same policy acted on in another mode ({@code diagnose --plan} plans any policy as DryRun). */
    public AgentPolicy withMode(RemediationMode other) {
        return new AgentPolicy(
                name, interval, scope, ports, thresholds, sysctls, other, kill, pulse, zombies, restoreOnDelete);
    }

    /** The same policy over another scope ({@code --host-netns} narrows AllNamespaces to the chosen namespace). */
    public AgentPolicy withScope(ScanScope other) {
        return new AgentPolicy(
                name, interval, other, ports, thresholds, sysctls, mode, kill, pulse, zombies, restoreOnDelete);
    }
}
