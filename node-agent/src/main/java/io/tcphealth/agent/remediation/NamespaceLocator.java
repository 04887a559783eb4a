package io.tcphealth.agent.remediation;

import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a namespace recorded in the journal again, by inode, or tells that it no longer exists.
 *
 * <p>A {@code /proc/<pid>/ns/net} path lives only as long as its process (and a reused pid names
 * another namespace), so the journal records the namespace's inode, a path and a few of its
 * processes; a bind mount under {@code /run/netns} is preferred as the path, since it outlives
 * every process.
 */
public final class NamespaceLocator {
    private static final List<Path> BIND_MOUNT_DIRS = List.of(Path.of("/run/netns"), Path.of("/var/run/netns"));

    private final Path procRoot;
    private final Path hostPath;

    /** @param hostPath another way into the host's namespace (from {@code --host-netns}), or null */
    public NamespaceLocator(Path procRoot, Path hostPath) {
        this.procRoot = procRoot;
        this.hostPath = hostPath;
    }

    /**
     * A path that will still name {@code ns} after the processes in it are gone, when there is one:
     * a bind mount with its inode, else its own path ({@code self} replaced by this process's pid).
     */
    public Path durablePath(NetNamespace ns) {
        for (Path dir : BIND_MOUNT_DIRS) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    if (inodeOf(entry) == ns.inode()) {
                        return entry;
                    }
                }
            } catch (IOException e) {
                // fall back to the process path
            }
        }
        Path path = ns.path();
        if (path.startsWith(procRoot.resolve("self")) || path.startsWith(procRoot.resolve("thread-self"))) {
            return procRoot.resolve(ProcessHandle.current().pid() + "/ns/net");
        }
        return path;
    }

    /**
     * The recorded namespace, if it still exists.
     *
     * @throws IOException when its existence cannot be told (no permission to look)
     */
    public Optional<NetNamespace> find(Change change) throws IOException {
        if (NamespaceExecutor.currentInode() == change.netnsInode()) {
            return Optional.of(new NetNamespace(
                    change.netnsInode(), change.netnsPath(), change.netns().equals("host"), change.netnsPids()));
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(change.netnsPath());
        for (int pid : change.netnsPids()) {
            candidates.add(procRoot.resolve(pid + "/ns/net"));
        }
        if (hostPath != null && change.netns().equals("host")) {
            candidates.add(hostPath);
        }
        IOException unreadable = null;
        for (Path p : candidates) {
            try {
                if (inodeOrThrow(p) == change.netnsInode()) {
                    return Optional.of(new NetNamespace(
                            change.netnsInode(), p, change.netns().equals("host"), List.of()));
                }
            } catch (NoSuchFileException e) {
                // that way in is gone; try the next
            } catch (IOException e) {
                unreadable = e;
            }
        }
        if (unreadable != null) {
            throw new IOException(
                    "Cannot tell whether " + change.netns() + " still exists: " + unreadable.getMessage(), unreadable);
        }
        return Optional.empty();
    }

    private static long inodeOf(Path p) {
        try {
            return inodeOrThrow(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long inodeOrThrow(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            String text = Files.readSymbolicLink(p).toString();
            if (!text.startsWith("net:[") || !text.endsWith("]")) {
                throw new IOException(p + " points to \"" + text + "\", not to a network namespace");
            }
            try {
                return Long.parseUnsignedLong(text.substring(5, text.length() - 1));
            } catch (NumberFormatException e) {
                throw new IOException(p + " points to \"" + text + "\", not to a network namespace", e);
            }
        }
        if (!Files.exists(p)) {
            throw new NoSuchFileException(p.toString());
        }
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }
}
