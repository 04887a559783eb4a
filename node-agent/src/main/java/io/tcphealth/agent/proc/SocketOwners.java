package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

/**
 * Finds which processes hold which sockets by walking {@code /proc/<pid>/fd}: each socket fd is a
 * symbolic link whose text is {@code socket:[<inode>]}.
 *
 * <p>This is the costly part of a scan (one readlink per fd on the node: 0.5-0.8 s for 100k
 * sockets), so callers narrow it with a {@link Scope}: the pids of one network namespace, or only
 * the inodes worth attributing.
 *
 * <p>A thread-group leader that has exited while other threads run has an empty {@code fd}
 * directory (it dropped its reference to the shared fd table); its sockets are found through the
 * live threads' {@code task/<tid>/fd} and attributed to the leader's pid, which is the pid
 * everything else (ps, ss -p, the process table) knows the process by.
 */
public final class SocketOwners {
    private static final String PREFIX = "socket:[";

    private final ProcFs procFs;
    private final FdReader reader;

    /** Reads fd directories through {@code java.nio}: the simple path. */
    public SocketOwners(ProcFs procFs) {
        this(procFs, SocketOwners::readSocketFds);
    }

    SocketOwners(ProcFs procFs, FdReader reader) {
        this.procFs = procFs;
        this.reader = reader;
    }

    /** Reads fd directories straight through libc where it can (see {@link FdDirectoryReader}). */
    public static SocketOwners withFastReads(ProcFs procFs) {
        return new SocketOwners(procFs, FdDirectoryReader.ifAvailable().orElse(SocketOwners::readSocketFds));
    }

    /** Reads one fd directory: {@link #readSocketFds}'s contract. */
    @FunctionalInterface
    interface FdReader {
        int read(Path dir, SocketFdSink sink, ScanProblems problems);
    }

    /**
     * Which processes and sockets to look at.
     *
     * @param pids   the pids to walk, or null for every pid under the proc root
     * @param inodes the socket inodes wanted, or null for all
     */
    public record Scope(Collection<Integer> pids, Set<Long> inodes) {
        public static Scope everything() {
            return new Scope(null, null);
        }

        public static Scope pids(Collection<Integer> pids) {
            return new Scope(pids, null);
        }

        public Scope onlyInodes(Set<Long> wanted) {
            return new Scope(pids, wanted);
        }
    }

    /**
     * Walks the fds of the processes in scope. Processes that exit meanwhile are skipped; fd
     * directories that cannot be read are recorded in {@code problems}.
     *
     * @throws IOException only when the proc root itself cannot be listed
     */
    public SocketOwnerIndex scan(Scope scope, ScanProblems problems) throws IOException {
        SocketOwnerIndex.Builder index = new SocketOwnerIndex.Builder();
        if (scope.inodes() != null && scope.inodes().isEmpty()) {
            return index.build();
        }
        if (scope.pids() == null) {
            for (int pid : procFs.pids()) {
                scanProcess(pid, scope.inodes(), index, problems);
            }
        } else {
            for (int pid : scope.pids()) {
                scanProcess(pid, scope.inodes(), index, problems);
            }
        }
        return index.build();
    }

    private void scanProcess(int pid, Set<Long> wanted, SocketOwnerIndex.Builder index, ScanProblems problems) {
        readProcess(
                pid,
                (fd, inode) -> {
                    if (wanted == null || wanted.contains(inode)) {
                        index.add(inode, pid, fd);
                    }
                },
                problems);
    }

    /**
     * Reads the socket fds of one process: its {@code fd} directory, or, when that is empty or
     * gone, its other threads' (a kernel thread, a process without fds, a zombie, a process that
     * has exited, or a leader that exited before its threads: only the last has task fds).
     *
     * @return entries of the process's own fd directory, -1 when it could not be listed
     */
    int readProcess(int pid, SocketFdSink sink, ScanProblems problems) {
        int found = reader.read(procFs.pidPath(pid, "fd"), sink, problems);
        if (found <= 0) {
            readLiveThreads(pid, sink, problems);
        }
        return found;
    }

    private void readLiveThreads(int pid, SocketFdSink sink, ScanProblems problems) {
        int[] tids;
        try {
            tids = procFs.tids(pid);
        } catch (IOException e) {
            problems.couldNotRead(procFs.pidPath(pid, "task"), e);
            return;
        }
        if (tids.length < 2) {
            return;
        }
        // Threads created with CLONE_THREAD but without CLONE_FILES have fd tables of their own, so
        // every thread is walked; the index drops duplicates.
        for (int tid : tids) {
            if (tid != pid) {
                reader.read(procFs.taskPath(pid, tid, "fd"), sink, problems);
            }
        }
    }

    /** Receives the socket fds of one fd directory. */
    @FunctionalInterface
    interface SocketFdSink {
        void socketFd(int fd, long inode);
    }

    /**
     * Reads every link of one {@code fd} directory and hands the socket ones to {@code sink}.
     *
     * @return entries seen (sockets or not): 0 when the directory is empty, -1 when it could not be
     *         listed (gone, or not permitted)
     */
    static int readSocketFds(Path dir, SocketFdSink sink, ScanProblems problems) {
        int seen = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                seen++;
                int fd = ProcFs.parsePositiveInt(entry.getFileName().toString());
                if (fd < 0) {
                    continue;
                }
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException e) {
                    // The fd was closed between listing and readlink, or the process left.
                    if (ProcFs.isVanished(e)) {
                        continue;
                    }
                    // A process we may list but not inspect (another user namespace, not
                    // dumpable): every link would fail alike, so say it once for the directory.
                    problems.couldNotRead(ProcFs.isPermissionDenied(e) ? dir : entry, e);
                    if (ProcFs.isPermissionDenied(e)) {
                        break;
                    }
                    continue;
                }
                long inode = socketInode(target);
                if (inode > 0) {
                    sink.socketFd(fd, inode);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            IOException cause = e instanceof DirectoryIteratorException die ? die.getCause() : (IOException) e;
            if (ProcFs.isVanished(cause)) {
                problems.countVanished();
            } else {
                problems.couldNotRead(dir, cause);
            }
            return -1;
        }
        return seen;
    }

    /** The inode of a {@code socket:[12345]} link text, or -1 for any other target. */
    public static long socketInode(String linkText) {
        int len = linkText.length();
        if (len <= PREFIX.length() + 1 || !linkText.startsWith(PREFIX) || linkText.charAt(len - 1) != ']') {
            return -1;
        }
        return ProcNumbers.decimal(linkText, PREFIX.length(), len - 1);
    }
}
