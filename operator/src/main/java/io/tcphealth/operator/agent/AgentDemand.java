package io.tcphealth.operator.agent;

import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * What one policy asks of the agent: where it must run and which privileges it needs there.
 *
 * @param policyName the policy's name (for ordering only)
 * @param nodeSelector nodes the policy selects; null or empty selects every node
 * @param allNamespaces whether the policy scans pod network namespaces (needs setns)
 */
public record AgentDemand(String policyName, LabelSelector nodeSelector, boolean allNamespaces) {}
