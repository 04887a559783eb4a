package io.tcphealth.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * This node's TcpHealthNode, and nothing else: an informer listing and watching one object by name (field
 * selector {@code metadata.name}). The loop reads the cached copy at each scan, so a spec change takes effect at
 * the next scan; while the API server is away the last copy stays in force and the informer reconnects by
 * itself.
 */
public final class NodeSpecSource implements AutoCloseable {
    private final SharedIndexInformer<TcpHealthNode> informer;
    private final String node;

    public NodeSpecSource(KubernetesClient client, String node, Consumer<String> log) {
        this.node = node;
        this.informer = KeepListing.on(
                client.resources(TcpHealthNode.class)
                        .withField("metadata.name", node)
                        .runnableInformer(0),
                "TcpHealthNode " + node,
                log);
    }

    /** Starts listing and watching in the background; does not wait for the API server. */
    public NodeSpecSource start() {
        informer.start();
        return this;
    }

    public Optional<TcpHealthNode> current() {
        return informer.getStore().list().stream()
                .filter(n -> node.equals(n.getMetadata().getName()))
                .findFirst();
    }

    public boolean synced() {
        return informer.hasSynced();
    }

    @Override
    public void close() {
        informer.close();
    }
}
