package io.tcphealth.operator.config;

import io.tcphealth.operator.agent.AgentSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the operator was configured with, validated.
 *
 * @param agent how the agent DaemonSet is run
 * @param metricsPort port of the operator's own /metrics (0: no metrics endpoint)
 * @param leaderElection whether to elect a leader through a Lease before reconciling
 * @param leaseName name of that Lease, in the operator's namespace
 * @param statusMinInterval least time between two status writes of one policy
 * @param restoreTimeout how long a deleted or unselecting policy waits for agents to restore what it changed
 * @param staleGrace slack added to three reporting periods before a silent node counts as stale
 * @param eventNamespace namespace that holds the Events about (cluster-scoped) policies
 */
public record OperatorSettings(
        AgentSettings agent,
        int metricsPort,
        boolean leaderElection,
        String leaseName,
        Duration statusMinInterval,
        Duration restoreTimeout,
        Duration staleGrace,
        String eventNamespace) {

    public OperatorSettings {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(leaseName, "leaseName");
        Objects.requireNonNull(statusMinInterval, "statusMinInterval");
        Objects.requireNonNull(restoreTimeout, "restoreTimeout");
        Objects.requireNonNull(staleGrace, "staleGrace");
        Objects.requireNonNull(eventNamespace, "eventNamespace");
    }

    public String namespace() {
        return agent.namespace();
    }
}
