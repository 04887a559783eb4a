package io.tcphealth.agent.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;

/**
 * Writes the status with a JSON merge patch on the status subresource: no read first, no resourceVersion to
 * conflict on (the agent is the status's only writer), and no server-side apply (not every API server in
 * tests has it). Fields the new status leaves unset are set to null in the patch, so nothing stale stays.
 */
public final class KubeNodeStatusWriter implements NodeStatusWriter {
    private static final String[] FIELDS = {"lastScan", "heartbeat", "states", "orphans", "zombies", "findings",
        "findingsTruncated", "sysctls", "actions", "appliedPolicies", "observedSpecGeneration", "conditions"};

    private final KubernetesClient client;
    private final String node;
    private final ObjectMapper json;

    public KubeNodeStatusWriter(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
        this.json = new ObjectMapper();
    }

    @Override
    public void write(TcpHealthNodeStatus status) {
        client.resources(TcpHealthNode.class).withName(node).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), body(status));
    }

    String body(TcpHealthNodeStatus status) {
        ObjectNode tree = json.valueToTree(status);
        for (String field : FIELDS) {
            if (!tree.has(field)) {
                tree.putNull(field);
            }
        }
        ObjectNode root = json.createObjectNode();
        root.set("status", tree);
        return root.toString();
    }
}
