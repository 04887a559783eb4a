package io.tcphealth.agent.netns;

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

    private final Path procRoot;
    private final HostNetns hostChoice;

    /**
     * @param procRoot   {@code /proc}, or {@code /host/proc} when the host's is mounted there
     * @param hostChoice which namespace counts as the host's
     */
    public NamespaceDiscovery(Path procRoot, HostNetns hostChoice) {
        this.procRoot = procRoot;
        this.hostChoice = hostChoice;
    }

    /**
     * @throws IOException when the proc root cannot be listed or the host namespace cannot be read;
     *                     single processes that vanish or cannot be read are counted, not thrown
     */
    public NamespaceScan discover() throws IOException {
        Path hostPath = hostPath();
        long hostInode = inodeOf(hostPath);

        Map<Long, List<Integer>> pidsByInode = new TreeMap<>();
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
                    long inode = NetNamespaceLink.inode(Files.readSymbolicLink(link).toString(), link);
                    pidsByInode.computeIfAbsent(inode, k -> new ArrayList<>()).add(pid);
                } catch (NoSuchFileException e) {
                    vanished++;
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
            // The lowest pid usually belongs to the namespace's longest-lived process (a pod's pause container).
            namespaces.add(new NetNamespace(e.getKey(), procRoot.resolve(pids.getFirst() + "/ns/net"), false, pids));
        }
        return new NamespaceScan(List.copyOf(namespaces), processes, vanished, unreadable, List.copyOf(samples));
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
            throw new IOException("Cannot read the host network namespace: " + io.tcphealth.agent.nativeio.ErrorText.of(e), e);
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
