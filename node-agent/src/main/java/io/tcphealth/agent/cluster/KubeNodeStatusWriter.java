package io.tcphealth.agent.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;

/**
 * Writes the whole status with one JSON patch operation on the status subresource ({@code add /status}, which
 * replaces it when present): no read first, no resourceVersion to conflict on (the agent is the status's only
 * writer), and no server-side apply. A JSON merge patch would do on a real API server, but merge patches
 * treat lists loosely on some servers (the fabric8 mock merges them item by item), and the status is mostly
 * lists; replacing it whole leaves nothing stale anywhere.
 */
public final class KubeNodeStatusWriter implements NodeStatusWriter {
    private final KubernetesClient client;
    private final String node;
    private final ObjectMapper json = new ObjectMapper();

    public KubeNodeStatusWriter(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    @Override
    public void write(TcpHealthNodeStatus status) {
        TcpHealthNode target = new TcpHealthNode();
        target.getMetadata().setName(node);
        client.resources(TcpHealthNode.class)
                .resource(target)
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), body(status));
    }

    String body(TcpHealthNodeStatus status) {
        ArrayNode ops = json.createArrayNode();
        ObjectNode op = ops.addObject();
        op.put("op", "add");
        op.put("path", "/status");
        op.set("value", json.valueToTree(status));
        return ops.toString();
    }
}
