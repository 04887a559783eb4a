package io.tcphealth.agent.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which network namespace an agent pod takes as its node's, and why.
 *
 * <p>The agent pod runs with hostNetwork and hostPID. hostNetwork puts it in the kubelet's network namespace,
 * which is the node's network by definition; on an ordinary node PID 1 of the (host) pid namespace lives there
 * too. A node that itself runs inside a network namespace of a larger machine (a nested or test node) breaks
 * the second: PID 1 is the machine's init, outside the node's network, and scanning or tuning its namespace
 * would act on the machine instead of the node. The agent's own namespace is right in both cases; PID 1's is
 * kept as the name when the two agree, so reports and journals read as before on ordinary nodes.
 *
 * @param netns       the choice
 * @param explanation one line for the agent's log, naming both namespaces
 */
public record PodHostNetns(HostNetns netns, String explanation) {

    /**
     * @param own  inode of the agent's own network namespace
     * @param pid1 inode of PID 1's, or -1 when it cannot be read
     * @param why  why PID 1's could not be read, when {@code pid1} is -1
     */
    public static PodHostNetns choose(long own, long pid1, String why) {
        if (pid1 == own) {
            return new PodHostNetns(
                    new HostNetns.Pid1(),
                    "Host network namespace: net:[" + own + "], PID 1's and this pod's own (hostNetwork)");
        }
        if (pid1 < 0) {
            return new PodHostNetns(
                    new HostNetns.Self(),
                    "Host network namespace: net:[" + own
                            + "], this pod's own (hostNetwork: the node's); PID 1's could not be read (" + why
                            + "); AllNamespaces covers"
                            + " only the node's and its pods' namespaces");
        }
        return new PodHostNetns(
                new HostNetns.Self(),
                "Host network namespace: net:[" + own
                        + "], this pod's own (hostNetwork: the node's), not PID 1's net:[" + pid1
                        + "]: this node runs inside a network namespace of its machine; AllNamespaces covers only the node's and its"
                        + " pods' namespaces");
    }

    /**
     * Reads both namespaces under a proc root: {@code <procRoot>/<own>/ns/net} and {@code <procRoot>/1/ns/net}.
     *
     * @param own {@code self} for the agent itself, or a pid
     * @throws IOException when the agent's own namespace cannot be read (then nothing can be scanned)
     */
    public static PodHostNetns read(Path procRoot, String own) throws IOException {
        Path ownLink = procRoot.resolve(own + "/ns/net");
        long ownInode = NetNamespaceLink.inode(Files.readSymbolicLink(ownLink).toString(), ownLink);
        Path pid1Link = procRoot.resolve("1/ns/net");
        try {
            return choose(
                    ownInode,
                    NetNamespaceLink.inode(Files.readSymbolicLink(pid1Link).toString(), pid1Link),
                    null);
        } catch (IOException e) {
            return choose(ownInode, -1, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Whether the node may be one inside a network namespace of a larger machine (its own namespace was chosen
     * over PID 1's, or PID 1's could not be compared): then only the pods' namespaces are the node's.
     */
    public boolean nested() {
        return netns instanceof HostNetns.Self;
    }

    /** The value of {@code --host-netns} this choice stands for: null (PID 1's, the default) or {@code self}. */
    public String option() {
        return netns instanceof HostNetns.Self ? "self" : null;
    }
}
