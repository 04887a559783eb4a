package io.tcphealth.operator.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * Informer store that keeps of each Node only what placing agents needs: name, uid, labels and resource
 * version. A Node's status (images, conditions, addresses) is most of its size; at thousands of nodes the
 * full objects would dominate the operator's memory.
 */
final class NodeLabelStore extends BasicItemStore<Node> {

    NodeLabelStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Node put(String key, Node node) {
        return super.put(
                key,
                new NodeBuilder()
                        .withNewMetadata()
                        .withName(node.getMetadata().getName())
                        .withUid(node.getMetadata().getUid())
                        .withLabels(node.getMetadata().getLabels())
                        .withResourceVersion(node.getMetadata().getResourceVersion())
                        .endMetadata()
                        .build());
    }
}
