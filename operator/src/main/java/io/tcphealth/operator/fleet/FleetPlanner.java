package io.tcphealth.operator.fleet;

import io.fabric8.kubernetes.api.model.Node;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.Scope;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.merge.PolicyMerge;
import io.tcphealth.api.v1alpha1.validation.PolicyRules;
import io.tcphealth.operator.agent.AgentDemand;
import io.tcphealth.operator.policy.NodeSelection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the desired fleet from every policy, every node and the TcpHealthNodes as they are. Pure: the
 * reconciler feeds it the informer caches and applies the difference.
 *
 * <p>A policy leaves a node when it is deleted, becomes invalid or stops selecting the node. While the
 * node's agent still lists it in {@code appliedPolicies} it stays in the node's {@code departingPolicies},
 * which tells the agent to put back what the policy changed (or, without restoreOnDelete, just to let go);
 * it leaves that list once the agent has done so or the policy is gone from the cluster. A node that only
 * has departing policies left keeps its agent (by name in the DaemonSet's affinity) until they are done.
 */
public final class FleetPlanner {

    private FleetPlanner() {}

    public static FleetPlan plan(
            Collection<TcpHealthPolicy> policies, Collection<Node> nodes, Map<String, TcpHealthNode> existing) {
        Map<String, List<String>> problems = new TreeMap<>();
        Map<String, TcpHealthPolicy> byName = new TreeMap<>();
        List<TcpHealthPolicy> active = new ArrayList<>();
        for (TcpHealthPolicy policy : policies) {
            byName.put(policy.getMetadata().getName(), policy);
            List<String> found = PolicyRules.problems(policy);
            if (!found.isEmpty()) {
                problems.put(policy.getMetadata().getName(), found);
            } else if (policy.getMetadata().getDeletionTimestamp() == null) {
                active.add(policy);
            }
        }
        active.sort(PolicyMerge.PRECEDENCE);

        Map<String, TcpHealthNodeSpec> specs = new TreeMap<>();
        Set<String> draining = new TreeSet<>();
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            List<TcpHealthPolicy> matching = active.stream()
                    .filter(p -> NodeSelection.matches(
                            p.getSpec().getNodeSelector(), node.getMetadata().getLabels()))
                    .toList();
            List<PolicyRestore> departing = departing(existing.get(name), matching, byName);
            if (matching.isEmpty() && departing.isEmpty()) {
                continue;
            }
            TcpHealthNodeSpec spec = PolicyMerge.merge(matching);
            spec.setDepartingPolicies(departing);
            specs.put(name, spec);
            if (matching.isEmpty()) {
                draining.add(name);
            }
        }
        Set<String> obsolete = new TreeSet<>(existing.keySet());
        obsolete.removeAll(specs.keySet());

        List<AgentDemand> demands = active.stream()
                .map(p -> new AgentDemand(
                        p.getMetadata().getName(),
                        p.getSpec().getNodeSelector(),
                        p.getSpec().getScope() == Scope.AllNamespaces))
                .toList();
        // Sysctls set inside pod namespaces can be put back only with setns, which needs SYS_ADMIN: the agents keep
        // it, even after the last AllNamespaces policy is gone, until they report nothing left to restore there.
        Set<String> podNamespaceRestores = new TreeSet<>();
        existing.forEach((name, node) -> {
            if (node.getStatus() != null
                    && node.getStatus().getPodNamespaceChanges() != null
                    && node.getStatus().getPodNamespaceChanges() > 0) {
                podNamespaceRestores.add(name);
            }
        });
        return new FleetPlan(specs, obsolete, draining, demands, problems, podNamespaceRestores);
    }

    /**
     * Policies the node's agent says it holds (status.appliedPolicies) that still exist but no longer apply
     * here: deleted, invalid, or not selecting the node any more. A policy the agent never applied just goes
     * away; one that is gone from the cluster is no longer waited for.
     */
    static List<PolicyRestore> departing(
            TcpHealthNode current, List<TcpHealthPolicy> matching, Map<String, TcpHealthPolicy> byName) {
        if (current == null
                || current.getStatus() == null
                || current.getStatus().getAppliedPolicies() == null) {
            return List.of();
        }
        Set<String> stillMatching = new HashSet<>();
        matching.forEach(p -> stillMatching.add(p.getMetadata().getName()));
        List<PolicyRestore> out = new ArrayList<>();
        for (String name : new TreeSet<>(current.getStatus().getAppliedPolicies())) {
            TcpHealthPolicy policy = byName.get(name);
            if (policy != null && !stillMatching.contains(name)) {
                out.add(new PolicyRestore(name, PolicyMerge.restoreOnDelete(policy)));
            }
        }
        return out.stream().limit(TcpHealthNodeSpec.MAX_POLICIES).toList();
    }
}
