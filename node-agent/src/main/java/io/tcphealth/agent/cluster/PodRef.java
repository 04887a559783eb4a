package io.tcphealth.agent.cluster;

import java.util.Map;
import java.util.Optional;

/**
 * A pod on this node as the agent knows it from the API.
 *
 * @param containers container id (the runtime's 64 hex digits, without the {@code containerd://} prefix) to
 *                   container name
 */
public record PodRef(String uid, String namespace, String name, Map<String, String> containers) {

    public PodRef {
        containers = Map.copyOf(containers);
    }

    /** "namespace/name", as a finding names its pod. */
    public String qualifiedName() {
        return namespace + "/" + name;
    }

    public Optional<String> containerName(String containerId) {
        return containerId == null ? Optional.empty() : Optional.ofNullable(containers.get(containerId));
    }
}
