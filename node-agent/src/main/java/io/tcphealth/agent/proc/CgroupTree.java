package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroup v2 hierarchy, read as the directory tree it is. A socket's cgroup id ({@code INET_DIAG_CGROUP_ID}, the
 * cgroup of the process that created it) is the inode number of that cgroup's directory, so the tree tells where a
 * socket was made and, through the directory's {@code cgroup.procs}, which processes are in that cgroup now: the
 * likeliest holders, found without reading any fd.
 *
 * <p>The directories are listed on first use and again when an id is asked for that the last listing did not have (a
 * cgroup made since), at most once per call and once per id. Listing costs a stat of every file of every cgroup (a few
 * tens each). Not thread-safe.
 */
public final class CgroupTree {
    /** Ids remembered as removed cgroups; past this many, forgotten (and looked for once more). */
    private static final int MAX_GONE = 4096;

    private final Path root;
    private Map<Long, Path> byId = Map.of();
    private final Set<Long> gone = new HashSet<>();
    private int listings;

    private CgroupTree(Path root) {
        this.root = root;
    }

    /**
     * The cgroup v2 hierarchy mounted at {@code root} ({@code /sys/fs/cgroup}, or {@code /sys/fs/cgroup/unified} on a
     * host that mounts both versions), or empty when none is there: a cgroup v1 host has no such tree, and every
     * socket's id is then the id of a v2 root that holds every process.
     */
    public static Optional<CgroupTree> at(Path root) {
        for (Path p : new Path[] {root, root.resolve("unified")}) {
            if (Files.isRegularFile(p.resolve("cgroup.controllers"))
                    && Files.isRegularFile(p.resolve("cgroup.procs"))) {
                return Optional.of(new CgroupTree(p));
            }
        }
        return Optional.empty();
    }

    /**
     * Where the host's hierarchy is, for a given proc root: {@code /proc} → {@code /sys/fs/cgroup}, {@code /host/proc}
     * → {@code /host/sys/fs/cgroup}.
     */
    public static Path besideProcRoot(Path procRoot) {
        Path parent = procRoot.toAbsolutePath().getParent();
        return (parent == null ? procRoot.getRoot() : parent).resolve("sys/fs/cgroup");
    }

    public Path root() {
        return root;
    }

    /**
     * The cgroups with these ids, as paths from the hierarchy's root ({@code /system.slice/nginx.service}); ids the
     * tree does not have are left out.
     */
    public Map<Long, String> paths(Set<Long> ids) {
        relistUnless(ids);
        Map<Long, String> out = new HashMap<>();
        for (long id : ids) {
            Path dir = byId.get(id);
            if (dir != null) {
                out.put(id, "/" + root.relativize(dir));
            }
        }
        return out;
    }

    /**
     * The processes now in the cgroups with these ids, the hierarchy's root left out (on a host that puts nothing in
     * child cgroups it holds every process, which says nothing). Ids the tree does not have, and cgroups that are gone,
     * add nothing.
     */
    public Set<Integer> pidsIn(Set<Long> ids) {
        relistUnless(ids);
        Set<Integer> out = new HashSet<>();
        for (long id : ids) {
            Path dir = byId.get(id);
            if (dir == null || dir.equals(root)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                    int pid = ProcFs.parsePositiveInt(line.trim());
                    if (pid > 0) {
                        out.add(pid);
                    }
                }
            } catch (IOException e) {
                // The cgroup was removed since it was listed: its processes are gone or elsewhere.
            }
        }
        return out;
    }

    /**
     * Lists the tree again when one of the ids (0 aside: no cgroup known) is neither in the last listing nor missing
     * from an earlier one. A cgroup missing from a listing made after its socket was seen has been removed (an orphan
     * outlives its container's cgroup), and ids are never reused, so it is not looked for again.
     */
    private void relistUnless(Set<Long> ids) {
        for (long id : ids) {
            if (id != 0 && !byId.containsKey(id) && !gone.contains(id)) {
                byId = list();
                for (long asked : ids) {
                    if (asked != 0 && !byId.containsKey(asked)) {
                        if (gone.size() >= MAX_GONE) {
                            gone.clear();
                        }
                        gone.add(asked);
                    }
                }
                return;
            }
        }
    }

    /** How many times the tree was listed. */
    int listings() {
        return listings;
    }

    /** Every directory of the tree by inode: a cgroup's id. */
    private Map<Long, Path> list() {
        listings++;
        Map<Long, Path> out = new HashMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    long inode = inodeOf(dir);
                    if (inode > 0) {
                        out.put(inode, dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // What was listed before the failure still serves.
        }
        return out;
    }

    /** The inode of a directory just listed ({@code unix:ino}); -1 when it went away meanwhile. */
    private static long inodeOf(Path dir) {
        try {
            return ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
