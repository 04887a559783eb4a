package io.tcphealth.agent.proc;

/**
 * Where a process runs, as read from {@code /proc/<pid>/cgroup}.
 *
 * @param runtime     {@code containerd}, {@code cri-o}, {@code docker}, or {@code unknown}
 * @param containerId the 64-hex-digit container id
 * @param podUid      the pod's UID (dashes restored), or null outside Kubernetes
 */
public record ContainerRef(String runtime, String containerId, String podUid) {

    /** The first 12 digits, as {@code crictl} and {@code docker ps} show them. */
    public String shortId() {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }
}
