package io.tcphealth.agent.loop;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.scan.NodeScan;
import java.util.List;

/**
 * What one round found and did, as every sink sees it.
 *
 * @param policy   the policy the round acted on (its mode is the round's)
 * @param findings the diagnosis's findings and remediation's own, most severe first
 * @param remedy   what remediation did; {@link RoundRemedy#nothing()} when the round was not to remediate
 */
public record Round(AgentPolicy policy, NodeScan scan, List<Finding> findings, RoundRemedy remedy) {
    public Round {
        findings = List.copyOf(findings);
    }
}
