package io.tcphealth.agent.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A proc tree in a temporary directory, written the way the kernel lays it out: {@code <pid>/stat},
 * {@code limits}, {@code cgroup}, {@code fd/<n>} links, {@code task/<tid>/...}. Fd links are made
 * at test time because resource copying would not keep dangling symbolic links.
 */
public final class FakeProcTree {
    private final Path root;

    public FakeProcTree(Path root) {
        this.root = root;
    }

    public ProcFs procFs() {
        return new ProcFs(root);
    }

    public Path root() {
        return root;
    }

    /** A stat line with the 52 fields of a 6.x kernel. */
    public static String statLine(int pid, String comm, char state, int ppid, long flags, int threads, long start) {
        StringBuilder s = new StringBuilder();
        s.append(pid)
                .append(" (")
                .append(comm)
                .append(") ")
                .append(state)
                .append(' ')
                .append(ppid);
        s.append(" ").append(pid).append(" ").append(pid).append(" 0 -1 ").append(flags);
        s.append(" 0 0 0 0 0 0 0 0 20 0 ").append(threads).append(" 0 ").append(start);
        s.append(" 1000 10 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
        return s.toString();
    }

    /** A user process with stat, limits (soft 1024), a host cgroup and an empty fd directory. */
    public FakeProcTree process(int pid, String comm, char state, int ppid) {
        file(pid + "/stat", statLine(pid, comm, state, ppid, 0x400100, 1, 1000 + pid));
        file(
                pid + "/limits",
                "Limit                     Soft Limit           Hard Limit           Units     \n"
                        + "Max open files            1024                 524288               files     \n");
        file(pid + "/cgroup", "0::/system.slice/test.service\n");
        dir(pid + "/fd");
        dir(pid + "/task/" + pid);
        file(pid + "/task/" + pid + "/stat", statLine(pid, comm, state, ppid, 0x400100, 1, 1000 + pid));
        return this;
    }

    /** A kernel thread: PF_KTHREAD set, no fds, child of kthreadd. */
    public FakeProcTree kernelThread(int pid, String comm) {
        file(pid + "/stat", statLine(pid, comm, 'I', pid == 2 ? 0 : 2, 0x04208060L, 1, 5));
        file(pid + "/cgroup", "0::/\n");
        dir(pid + "/fd");
        return this;
    }

    /** Another thread of {@code pid}, with its own stat and (shared, here copied) fd directory. */
    public FakeProcTree thread(int pid, int tid, String comm, char state) {
        file(pid + "/task/" + tid + "/stat", statLine(tid, comm, state, 1, 0x400040, 1, 2000 + tid));
        dir(pid + "/task/" + tid + "/fd");
        return this;
    }

    /** {@code <pid>/fd/<fd> -> socket:[inode]}. */
    public FakeProcTree socketFd(int pid, int fd, long inode) {
        return link(pid + "/fd/" + fd, "socket:[" + inode + "]");
    }

    public FakeProcTree taskSocketFd(int pid, int tid, int fd, long inode) {
        return link(pid + "/task/" + tid + "/fd/" + fd, "socket:[" + inode + "]");
    }

    public FakeProcTree link(String relative, String target) {
        try {
            Path link = root.resolve(relative);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(target));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeProcTree file(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeProcTree dir(String relative) {
        try {
            Files.createDirectories(root.resolve(relative));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeProcTree delete(String relative) {
        try {
            Path p = root.resolve(relative);
            if (Files.isDirectory(p)) {
                try (var walk = Files.walk(p)) {
                    for (Path x :
                            walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(x);
                    }
                }
            } else {
                Files.deleteIfExists(p);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
