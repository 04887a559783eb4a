package io.tcphealth.agent.diagnosis;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.Comparator;

/**
 * One diagnosed problem, in the same shape (and JSON field names) as a finding in a
 * {@code TcpHealthNode} status.
 *
 * @param type       what kind of trouble
 * @param severity   how bad
 * @param count      how many sockets, processes or zombies it concerns
 * @param port       the service port concerned, when there is one
 * @param state      the TCP state concerned ({@code CLOSE_WAIT}, ...), when there is one
 * @param pid        the process responsible, when known
 * @param comm       that process's command name
 * @param containerId the container of that process, when it runs in one
 * @param podUid     the pod of that container, when it runs in Kubernetes
 * @param pod        "namespace/name" of that pod, when known
 * @param netns      the network namespace: "host" or "netns:[inode]"
 * @param ageSeconds how long it has lasted, at least, when known
 * @param ageBasis   where that age comes from: {@code kernelIdle} (the kernel's idle time, a lower bound
 *                   known on the first scan) or {@code observed} (seen so by tcphealth across scans)
 * @param message    what is wrong and why, in plain words
 * @param nextStep   what a person should do next
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(
        FindingType type,
        Severity severity,
        long count,
        Integer port,
        String state,
        Integer pid,
        String comm,
        String containerId,
        String podUid,
        String pod,
        String netns,
        Long ageSeconds,
        AgeBasis ageBasis,
        String message,
        String nextStep,
        java.util.List<Holder> holders) {

    /**
     * One process holding some of the finding's sockets. A socket can have several holders (a fork
     * after accept(), a descriptor passed with SCM_RIGHTS): it ends only when every one of them has
     * closed it, so each holder counts the sockets it holds, shared ones included.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Holder(int pid, String comm, String containerId, long sockets) {}

    /** A finding whose age, if any, was observed, with no list of holders. */
    public Finding(
            FindingType type,
            Severity severity,
            long count,
            Integer port,
            String state,
            Integer pid,
            String comm,
            String containerId,
            String podUid,
            String pod,
            String netns,
            Long ageSeconds,
            String message,
            String nextStep) {
        this(
                type,
                severity,
                count,
                port,
                state,
                pid,
                comm,
                containerId,
                podUid,
                pod,
                netns,
                ageSeconds,
                ageSeconds == null ? null : AgeBasis.observed,
                message,
                nextStep,
                null);
    }

    /** The same finding with its holders listed. */
    public Finding withHolders(java.util.List<Holder> list) {
        return new Finding(
                type,
                severity,
                count,
                port,
                state,
                pid,
                comm,
                containerId,
                podUid,
                pod,
                netns,
                ageSeconds,
                ageBasis,
                message,
                nextStep,
                list == null || list.isEmpty() ? null : java.util.List.copyOf(list));
    }

    /** Most severe first, then the largest count, then a stable order by type, namespace and port. */
    public static final Comparator<Finding> MOST_SEVERE_FIRST = Comparator.comparing(Finding::severity)
            .reversed()
            .thenComparing(Comparator.comparingLong(Finding::count).reversed())
            .thenComparing(Finding::type)
            .thenComparing(f -> f.netns() == null ? "" : f.netns())
            .thenComparing(f -> f.port() == null ? -1 : f.port())
            .thenComparing(f -> f.pid() == null ? -1 : f.pid());
}
