package io.tcphealth.agent.cluster;

import java.util.Optional;

/** Pods on this node by UID; the UID comes from a process's cgroup path. */
@FunctionalInterface
public interface PodLookup {
    Optional<PodRef> byUid(String uid);

    static PodLookup none() {
        return uid -> Optional.empty();
    }
}
