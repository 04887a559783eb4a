package io.tcphealth.agent.netns;

import java.nio.file.Path;
import java.util.List;

/**
 * A network namespace and a way into it.
 *
 * @param inode the namespace's inode (what {@code readlink /proc/<pid>/ns/net} shows as net:[inode])
 * @param path  a file that refers to it, opened for {@code setns}: {@code /proc/<pid>/ns/net} or a
 *              bind mount such as {@code /var/run/netns/NAME}
 * @param host  true for the namespace that counts as the host's
 * @param pids  processes living in it (sorted, possibly empty for a bind-mounted namespace)
 */
public record NetNamespace(long inode, Path path, boolean host, List<Integer> pids) {
    /** The host's label; journal entries name their namespace by label. */
    public static final String HOST_LABEL = "host";

    // equals and hashCode written out: a record's own bootstrap through java.lang.runtime.ObjectMethods at first use,
    // which the start-up cache does not keep, and costs a one-shot diagnose about 20 ms (the scan compares namespaces).
    @Override
    public boolean equals(Object o) {
        return o instanceof NetNamespace n
                && inode == n.inode
                && host == n.host
                && path.equals(n.path)
                && pids.equals(n.pids);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(inode);
    }

    /** "host" or "netns:[inode]", for reports. */
    public String label() {
        return host ? HOST_LABEL : "netns:[" + inode + "]";
    }
}
