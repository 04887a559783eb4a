package io.tcphealth.operator.fleet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A fingerprint of everything a fleet plan and its writes depend on. Agents' heartbeats reach the operator
 * as TcpHealthNode status updates, thousands per interval at fleet scale; they change the policies' status
 * but not the plan, so a reconcile whose inputs have the same fingerprint as the last applied plan skips
 * planning and writing.
 */
public final class FleetInputs {

    private FleetInputs() {}

    /**
     * @param policies every policy the plan sees (resource version covers spec, deletion and finalizers)
     * @param nodes every node (name, uid and labels), in name order
     * @param existing every TcpHealthNode (spec, and the policies its agent holds), in name order
     * @param daemonSet the live agent DaemonSet, if any (a changed or deleted one needs repair)
     */
    public static long fingerprint(
            Collection<TcpHealthPolicy> policies,
            Collection<Node> nodes,
            Map<String, TcpHealthNode> existing,
            Optional<DaemonSet> daemonSet) {
        long hash = 17;
        for (TcpHealthPolicy policy : policies.stream()
                .sorted(Comparator.comparing(
                        (TcpHealthPolicy p) -> p.getMetadata().getName()))
                .toList()) {
            hash = mix(
                    hash,
                    Objects.hash(
                            policy.getMetadata().getName(), policy.getMetadata().getResourceVersion()));
        }
        hash = mix(hash, policies.size());
        for (Node node : nodes) {
            hash = mix(
                    hash,
                    Objects.hash(
                            node.getMetadata().getName(),
                            node.getMetadata().getUid(),
                            node.getMetadata().getLabels()));
        }
        hash = mix(hash, nodes.size());
        for (TcpHealthNode node : existing.values()) {
            hash = mix(
                    hash,
                    Objects.hash(
                            node.getMetadata().getName(),
                            node.getSpec(),
                            node.getStatus() == null ? null : node.getStatus().getAppliedPolicies()));
        }
        hash = mix(hash, existing.size());
        return mix(
                hash,
                daemonSet
                        .map(ds -> Objects.hash(ds.getMetadata().getResourceVersion()))
                        .orElse(-1));
    }

    private static long mix(long hash, int value) {
        // 64-bit multiply-xorshift keeps order and spreads 32-bit hash codes over the whole long.
        long h = (hash ^ value) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }
}
