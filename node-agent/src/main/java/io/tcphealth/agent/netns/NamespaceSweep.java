package io.tcphealth.agent.netns;

import java.util.List;

/**
 * The network namespaces found under a proc root.
 *
 * @param namespaces        the host's first, then the others by inode
 * @param processes         process entries looked at
 * @param vanished          processes that exited (or became zombies, which have no namespaces) during the scan: normal
 * @param unreadable        processes whose namespace link could not be read or understood
 * @param unreadableSamples the first few of those, with the reason, for reports
 */
public record NamespaceSweep(
        List<NetNamespace> namespaces, int processes, int vanished, int unreadable, List<String> unreadableSamples) {

    /** The namespace that counts as the host's; always present. */
    public NetNamespace host() {
        return namespaces.stream()
                .filter(NetNamespace::host)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Namespace scan without a host namespace"));
    }
}
