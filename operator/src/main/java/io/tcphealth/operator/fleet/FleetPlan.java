package io.tcphealth.operator.fleet;

import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.operator.agent.AgentDemand;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the fleet should look like.
 *
 * @param nodeSpecs desired TcpHealthNode spec by node name (create or update)
 * @param obsoleteNodes TcpHealthNodes to delete: their node is gone, or no policy applies or departs there
 * @param drainingNodes nodes no active policy selects whose agent must stay until departing policies are undone
 * @param demands what each active policy asks of the agent DaemonSet
 * @param problems what keeps each policy from being applied, by policy name (only policies with problems)
 * @param podNamespaceRestores nodes whose agent reports sysctls it still holds inside pod network namespaces
 */
public record FleetPlan(
        Map<String, TcpHealthNodeSpec> nodeSpecs,
        Set<String> obsoleteNodes,
        Set<String> drainingNodes,
        List<AgentDemand> demands,
        Map<String, List<String>> problems,
        Set<String> podNamespaceRestores) {}
