package io.tcphealth.agent.netns;

import io.tcphealth.agent.proc.CgroupParser;
import io.tcphealth.agent.proc.ContainerRef;
import io.tcphealth.agent.proc.ProcFs;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the network namespaces in use by grouping the processes under a proc root by the inode
 * their {@code <pid>/ns/net} link names.
 */
public final class NamespaceDiscovery {
    static final int MAX_SAMPLES = 10;

    /** Processes of a namespace whose cgroup is read to tell whether it belongs to a pod. */
    static final int POD_PROBES = 3;

    private final Path procRoot;
    private final HostNetns hostChoice;
    private final boolean podNamespacesOnly;

    /**
     * @param procRoot   {@code /proc}, or {@code /host/proc} when the host's is mounted there
     * @param hostChoice which namespace counts as the host's
     */
    public NamespaceDiscovery(Path procRoot, HostNetns hostChoice) {
        this(procRoot, hostChoice, false);
    }

    /**
     * @param podNamespacesOnly besides the host's, keep only namespaces where a pod's process lives (its cgroup
     *                          names a pod): on a node that runs inside a network namespace of a larger machine,
     *                          the machine's other namespaces are not the node's
     */
    public NamespaceDiscovery(Path procRoot, HostNetns hostChoice, boolean podNamespacesOnly) {
        this.procRoot = procRoot;
        this.hostChoice = hostChoice;
        this.podNamespacesOnly = podNamespacesOnly;
    }

    /**
     * @throws IOException when the proc root cannot be listed or the host namespace cannot be read;
     *                     single processes that vanish or cannot be read are counted, not thrown
     */
    public NamespaceSweep discover() throws IOException {
        Path hostPath = hostPath();
        long hostInode = inodeOf(hostPath);

        Map<Long, List<Integer>> pidsByInode = new TreeMap<>();
        Map<Long, Path> viaThread = new TreeMap<>();
        int processes = 0;
        int vanished = 0;
        int unreadable = 0;
        List<String> samples = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
            for (Path entry : entries) {
                int pid = pidOf(entry.getFileName().toString());
                if (pid <= 0) {
                    continue;
                }
                processes++;
                Path link = entry.resolve("ns/net");
                try {
                    long inode =
                            NetNamespaceLink.inode(Files.readSymbolicLink(link).toString(), link);
                    pidsByInode.computeIfAbsent(inode, k -> new ArrayList<>()).add(pid);
                } catch (NoSuchFileException e) {
                    // A thread-group leader that has exited while other threads live on is a zombie
                    // whose ns links are gone; a live thread's /proc/PID/task/TID/ns/net still names
                    // the namespace (and that thread may be all that keeps it, and its sockets, alive).
                    Path threadLink = liveThreadLink(entry);
                    if (threadLink == null) {
                        vanished++;
                        continue;
                    }
                    try {
                        long inode = NetNamespaceLink.inode(
                                Files.readSymbolicLink(threadLink).toString(), threadLink);
                        pidsByInode
                                .computeIfAbsent(inode, k -> new ArrayList<>())
                                .add(pid);
                        viaThread.putIfAbsent(inode, threadLink);
                    } catch (IOException again) {
                        vanished++;
                    }
                } catch (IOException e) {
                    unreadable++;
                    if (samples.size() < MAX_SAMPLES) {
                        samples.add("pid " + pid + ": " + io.tcphealth.agent.nativeio.ErrorText.of(e));
                    }
                }
            }
        } catch (DirectoryIteratorException e) {
            throw new IOException("Cannot list " + procRoot, e.getCause());
        }

        List<NetNamespace> namespaces = new ArrayList<>();
        List<Integer> hostPids = pidsByInode.remove(hostInode);
        namespaces.add(new NetNamespace(hostInode, hostPath, true, sorted(hostPids)));
        for (Map.Entry<Long, List<Integer>> e : pidsByInode.entrySet()) {
            List<Integer> pids = sorted(e.getValue());
            if (podNamespacesOnly && !ofAPod(pids)) {
                continue;
            }
            // The lowest pid usually belongs to the namespace's longest-lived process (a pod's pause container).
            Path path = procRoot.resolve(pids.getFirst() + "/ns/net");
            if (viaThread.containsKey(e.getKey()) && !Files.exists(path)) {
                path = viaThread.get(e.getKey());
            }
            namespaces.add(new NetNamespace(e.getKey(), path, false, pids));
        }
        return new NamespaceSweep(List.copyOf(namespaces), processes, vanished, unreadable, List.copyOf(samples));
    }

    /** Whether one of the namespace's first processes sits in a pod's cgroup (vanished ones do not count). */
    private boolean ofAPod(List<Integer> pids) {
        for (int pid : pids.subList(0, Math.min(POD_PROBES, pids.size()))) {
            Path file = procRoot.resolve(pid + "/cgroup");
            try {
                ContainerRef ref = CgroupParser.parse(file.toString(), ProcFs.readCapped(file, ProcFs.SMALL_FILE_CAP));
                if (ref != null && ref.podUid() != null && !ref.podUid().isEmpty()) {
                    return true;
                }
            } catch (IOException e) {
                // gone or unreadable: try the next one
            }
        }
        return false;
    }

    /** {@code PID/task/TID/ns/net} of the first thread whose link reads, or null (the process is gone). */
    private static Path liveThreadLink(Path processDir) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(processDir.resolve("task"))) {
            for (Path task : tasks) {
                Path link = task.resolve("ns/net");
                if (Files.isSymbolicLink(link) && Files.exists(link)) {
                    return link;
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            return null;
        }
        return null;
    }

    private Path hostPath() {
        return switch (hostChoice) {
            case HostNetns.Pid1 p -> procRoot.resolve("1/ns/net");
            case HostNetns.Self s -> procRoot.resolve("self/ns/net");
            case HostNetns.AtPath a -> a.path();
        };
    }

    /**
     * A {@code ns/net} link names the inode in its text; a bind mount such as /var/run/netns/NAME
     * is the namespace file itself, whose inode number is the namespace's.
     */
    private static long inodeOf(Path path) throws IOException {
        try {
            if (Files.isSymbolicLink(path)) {
                return NetNamespaceLink.inode(Files.readSymbolicLink(path).toString(), path);
            }
            return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new IOException(
                    "Cannot read the host network namespace: " + io.tcphealth.agent.nativeio.ErrorText.of(e), e);
        }
    }

    private static List<Integer> sorted(List<Integer> pids) {
        if (pids == null) {
            return List.of();
        }
        pids.sort(null);
        return List.copyOf(pids);
    }

    /** The pid a /proc entry name stands for, or -1 for entries that are not processes. */
    static int pidOf(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }
}
