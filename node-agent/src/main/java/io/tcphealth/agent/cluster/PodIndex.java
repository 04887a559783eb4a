package io.tcphealth.agent.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The pods on this node (field selector {@code spec.nodeName}), by UID: a pod UID read from a process's cgroup
 * becomes namespace, name and, through {@code status.containerStatuses[].containerID}, the container's name.
 * Only this node's pods are listed and watched, so the cost per agent does not grow with the cluster.
 */
public final class PodIndex implements PodLookup, AutoCloseable {
    private static final String BY_UID = "uid";

    private final SharedIndexInformer<Pod> informer;
    private final String node;

    public PodIndex(KubernetesClient client, String node, Consumer<String> log) {
        this.node = node;
        this.informer = KeepListing.on(
                client.pods().inAnyNamespace().withField("spec.nodeName", node).runnableInformer(0),
                "the pods of node " + node,
                log);
        informer.addIndexers(Map.of(
                BY_UID,
                p -> List.of(
                        p.getMetadata().getUid() == null ? "" : p.getMetadata().getUid())));
    }

    public PodIndex start() {
        informer.start();
        return this;
    }

    @Override
    public Optional<PodRef> byUid(String uid) {
        // The field selector already keeps other nodes' pods out; checking again costs nothing and keeps a pod
        // that moved (same UID, rescheduled: impossible today, but cheap to rule out) from being named here.
        return informer.getIndexer().byIndex(BY_UID, uid).stream()
                .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
                .findFirst()
                .map(PodIndex::ref);
    }

    static PodRef ref(Pod pod) {
        Map<String, String> containers = new HashMap<>();
        PodStatus status = pod.getStatus();
        if (status != null) {
            Stream.of(
                            status.getContainerStatuses(),
                            status.getInitContainerStatuses(),
                            status.getEphemeralContainerStatuses())
                    .filter(l -> l != null)
                    .flatMap(List::stream)
                    .forEach(c -> containerId(c).ifPresent(id -> containers.put(id, c.getName())));
        }
        return new PodRef(
                pod.getMetadata().getUid(),
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                containers);
    }

    /** "containerd://0123..." → "0123...": the cgroup path carries the bare id. */
    static Optional<String> containerId(ContainerStatus c) {
        String id = c.getContainerID();
        if (id == null || id.isBlank() || c.getName() == null) {
            return Optional.empty();
        }
        int sep = id.indexOf("://");
        return Optional.of(sep < 0 ? id : id.substring(sep + 3));
    }

    @Override
    public void close() {
        informer.close();
    }
}
