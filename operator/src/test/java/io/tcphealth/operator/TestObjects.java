package io.tcphealth.operator;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.tcphealth.api.v1alpha1.ConditionReasons;
import io.tcphealth.api.v1alpha1.ConditionTypes;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Hand-built API objects for pure tests. */
public final class TestObjects {

    private TestObjects() {}

    public static TcpHealthPolicy policy(String name, int priority, Consumer<TcpHealthPolicySpec> spec) {
        TcpHealthPolicy policy = new TcpHealthPolicy();
        policy.getMetadata().setName(name);
        policy.getMetadata().setGeneration(1L);
        policy.getSpec().setPriority(priority);
        spec.accept(policy.getSpec());
        return policy;
    }

    public static TcpHealthPolicy policyOnPool(String name, int priority, String pool) {
        return policy(
                name,
                priority,
                spec -> spec.setNodeSelector(new LabelSelectorBuilder()
                        .addToMatchLabels("pool", pool)
                        .build()));
    }

    public static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .withUid("uid-" + name)
                .endMetadata()
                .build();
    }

    /** A TcpHealthNode applying these policies, with the given status (may be null). */
    public static TcpHealthNode tcpHealthNode(String name, List<String> policies, TcpHealthNodeStatus status) {
        TcpHealthNode node = new TcpHealthNode();
        node.getMetadata().setName(name);
        node.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
        TcpHealthNodeSpec spec = new TcpHealthNodeSpec();
        spec.setPolicies(policies);
        spec.setInterval(new Sourced<>("30s", policies.isEmpty() ? null : policies.getFirst()));
        node.setSpec(spec);
        node.setStatus(status);
        return node;
    }

    /** A status as an agent writes it: heartbeat, Healthy condition, policies it holds. */
    public static TcpHealthNodeStatus status(Instant heartbeat, Boolean healthy, List<String> applied) {
        TcpHealthNodeStatus status = new TcpHealthNodeStatus();
        status.setHeartbeat(heartbeat.toString());
        status.setAppliedPolicies(applied);
        if (healthy != null) {
            status.setConditions(List.of(new ConditionBuilder()
                    .withType(ConditionTypes.HEALTHY)
                    .withStatus(healthy ? "True" : "False")
                    .withReason(healthy ? ConditionReasons.NO_PROBLEMS : ConditionReasons.WARNING_FINDINGS)
                    .build()));
        }
        return status;
    }
}
