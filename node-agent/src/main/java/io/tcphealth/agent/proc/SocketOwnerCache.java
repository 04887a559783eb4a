package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * Finds socket owners like {@link SocketOwners}, but remembers each process's socket fds between
 * scans, so processes that did not change are not walked again: one readlink per fd costs 3-7 µs
 * of kernel time, 0.3-0.7 s for 100k sockets, on every scan.
 *
 * <p>Only the processes the caller names as candidates (those living in the scanned network
 * namespaces) are looked at, plus any process found earlier holding a wanted socket from outside
 * them. A process's remembered fds are used again when all of this holds, and read afresh
 * otherwise:
 * <ul>
 *   <li>same pid and same start time (a reused pid is a different process);</li>
 *   <li>same number of open fds (the process table reads it with one stat, see
 *       {@link ProcessTableReader});</li>
 *   <li>every socket it held that the scan listed back then is still listed: a closed socket whose
 *       fd number was reused for a new one changes nothing else;</li>
 *   <li>each remembered fd whose socket is wanted still names that socket (one readlink each), so
 *       every owner reported was checked in this scan.</li>
 * </ul>
 * What these checks cannot see is a non-socket fd replaced by a socket, a socket fd re-pointed with
 * {@code dup2} at a socket that already existed, or a wanted socket held only by a process outside
 * the candidates. So when a wanted socket is left without an owner, every process on the node is
 * read (once per scan; sockets that even that leaves ownerless do not count twice), and every
 * {@code fullReadEvery}-th scan, the first included, reads every process regardless. Such a read of the whole node
 * reads every candidate, but of the processes outside them only as many as it takes to give every wanted socket an
 * owner, plus the relatives of the holders, in the order {@link ReadOrder} gives (processes of the sockets' users
 * first). A scan with no socket worth attributing reads nothing.
 *
 * <p>Dead thread-group leaders (state Z with live threads) and kernel threads are left out: the
 * caller reads a dead leader's sockets through its threads on every scan.
 *
 * <p>Not thread-safe: one scanner uses one cache, one scan at a time.
 */
public final class SocketOwnerCache {
    private static final long[] NONE = new long[0];

    private final ProcFs procFs;
    /** Made on first use: the libc fd reader links its downcalls then, which a scan with nothing to attribute skips. */
    private SocketOwners walker;

    private final int fullReadEvery;
    private Map<Integer, FdTable> tables = new HashMap<>();
    private Set<Integer> adopted = Set.of();
    private long[] ownerlessAfterFullRead = NONE;
    private long scans;
    private Stats lastStats = new Stats(0, 0, 0, false);

    /** @param fullReadEvery every how many scans every process is read afresh (1 = always) */
    public SocketOwnerCache(ProcFs procFs, int fullReadEvery) {
        if (fullReadEvery < 1) {
            throw new IllegalArgumentException("fullReadEvery must be at least 1, got " + fullReadEvery);
        }
        this.procFs = procFs;
        this.fullReadEvery = fullReadEvery;
    }

    /**
     * What the last call did: processes whose fds were read, processes taken from the cache, fds
     * read, and whether this was a read of the whole node.
     */
    public record Stats(int processesRead, int processesReused, long fdsRead, boolean fullRead) {}

    public Stats lastStats() {
        return lastStats;
    }

    /**
     * The owners of the {@code wanted} sockets.
     *
     * @param processes  this scan's process table: which processes exist, since when, with how many fds
     * @param candidates the pids to look at first: the processes of the scanned namespaces
     * @param listed     every socket inode the scan listed, sorted ascending
     * @param wanted     the inodes whose owners are wanted
     */
    public SocketOwnerIndex owners(
            ProcessTable processes, Set<Integer> candidates, long[] listed, Set<Long> wanted, ScanProblems problems) {
        return owners(processes, candidates, listed, wanted, Set.of(), problems);
    }

    /**
     * The owners of the {@code wanted} sockets, where {@code ownerUids} are the uids that created them
     * ({@code idiag_uid}): a read of the whole node looks at processes of those users first (see {@link ReadOrder}).
     */
    public SocketOwnerIndex owners(
            ProcessTable processes,
            Set<Integer> candidates,
            long[] listed,
            Set<Long> wanted,
            Set<Integer> ownerUids,
            ScanProblems problems) {
        if (wanted.isEmpty()) {
            // Nothing to attribute, so no fd is read: a diagnose with nothing to report pays nothing for owners, and
            // the
            // next scan that wants owners counts as the first (a full read).
            lastStats = new Stats(0, 0, 0, false);
            return new SocketOwnerIndex.Builder().build();
        }
        long[] wantedSorted = sortedInodes(wanted);
        boolean fullRead = scans++ % fullReadEvery == 0;
        Counter counter = new Counter();
        Map<Integer, FdTable> next;
        if (fullRead) {
            next = readNode(processes, candidates, Map.of(), listed, wantedSorted, ownerUids, counter, problems);
        } else {
            next = refresh(
                    processes,
                    pid -> candidates.contains(pid) || adopted.contains(pid),
                    tables,
                    listed,
                    wantedSorted,
                    counter,
                    problems);
        }
        SocketOwnerIndex.Builder index = collect(next, wantedSorted);
        long[] ownerless = ownerless(wantedSorted, index);
        if (!fullRead && !isSubset(ownerless, ownerlessAfterFullRead)) {
            fullRead = true;
            // Remembered tables are what could be wrong: keep only those read in this scan.
            next = readNode(
                    processes, candidates, counter.freshlyRead, listed, wantedSorted, ownerUids, counter, problems);
            index = collect(next, wantedSorted);
            ownerless = ownerless(wantedSorted, index);
        }
        if (fullRead) {
            ownerlessAfterFullRead = ownerless;
            adopted = index.holders().stream()
                    .filter(pid -> !candidates.contains(pid))
                    .collect(Collectors.toUnmodifiableSet());
        }
        tables = next;
        lastStats = new Stats(counter.processesRead, counter.processesReused, counter.fdsRead, fullRead);
        return index.build();
    }

    /**
     * The fd tables of the processes {@code included} accepts: taken from {@code known} where they
     * still describe the process, read afresh otherwise.
     */
    private Map<Integer, FdTable> refresh(
            ProcessTable processes,
            IntPredicate included,
            Map<Integer, FdTable> known,
            long[] listed,
            long[] wanted,
            Counter counter,
            ScanProblems problems) {
        Map<Integer, FdTable> next = new HashMap<>(Math.max(16, known.size() * 2));
        for (ProcessInfo p : processes.all()) {
            if (walkable(p, processes) && included.test(p.pid())) {
                FdTable table = tableOf(p, known, listed, wanted, counter, problems);
                if (table != null) {
                    next.put(p.pid(), table);
                }
            }
        }
        return next;
    }

    /**
     * A read of the whole node: every candidate, then the other processes in {@link ReadOrder}'s order until every
     * wanted socket has an owner, and after that only the relatives of holders (what a fork shares).
     */
    private Map<Integer, FdTable> readNode(
            ProcessTable processes,
            Set<Integer> candidates,
            Map<Integer, FdTable> known,
            long[] listed,
            long[] wanted,
            Set<Integer> ownerUids,
            Counter counter,
            ScanProblems problems) {
        Map<Integer, FdTable> next = refresh(processes, candidates::contains, known, listed, wanted, counter, problems);
        Set<Long> found = new HashSet<>();
        Set<Integer> holders = new HashSet<>();
        next.forEach((pid, table) -> table.noteWanted(pid, wanted, found, holders));
        List<Integer> others = new ArrayList<>();
        for (ProcessInfo p : processes.all()) {
            if (walkable(p, processes) && !candidates.contains(p.pid())) {
                others.add(p.pid());
            }
        }
        ReadOrder order = new ReadOrder(processes);
        List<Integer> pending = order.uidsFirst(others, ownerUids, procFs);
        boolean newHolders = true;
        while (newHolders && !pending.isEmpty()) {
            newHolders = false;
            List<Integer> skipped = new ArrayList<>();
            Set<Integer> relatives = null;
            for (int pid : pending) {
                if (found.size() == wanted.length) {
                    if (relatives == null) {
                        relatives = order.relatives(holders);
                    }
                    if (!relatives.contains(pid)) {
                        skipped.add(pid);
                        continue;
                    }
                }
                FdTable table = tableOf(order.process(pid), known, listed, wanted, counter, problems);
                if (table != null) {
                    next.put(pid, table);
                    if (table.noteWanted(pid, wanted, found, holders)) {
                        relatives = null;
                        newHolders = true;
                    }
                }
            }
            pending = skipped;
        }
        return next;
    }

    private static boolean walkable(ProcessInfo p, ProcessTable processes) {
        return !p.kernelThread() && processes.liveThreads(p.pid()).isEmpty();
    }

    /** A process's table from {@code known} when it still describes the process, else read afresh (null: unreadable). */
    private FdTable tableOf(
            ProcessInfo p,
            Map<Integer, FdTable> known,
            long[] listed,
            long[] wanted,
            Counter counter,
            ScanProblems problems) {
        FdTable old = known.get(p.pid());
        if (old != null && old.stillDescribes(p, listed) && verified(old, p.pid(), wanted)) {
            counter.processesReused++;
            return old;
        }
        FdTable fresh = read(p, listed, problems);
        counter.processesRead++;
        if (fresh != null) {
            counter.fdsRead += fresh.entries;
            counter.freshlyRead.put(p.pid(), fresh);
        }
        return fresh;
    }

    /** Reads a process's socket fds; null when its fd directory could not be listed. */
    private FdTable read(ProcessInfo p, long[] listed, ScanProblems problems) {
        FdTable.Builder table = new FdTable.Builder();
        if (walker == null) {
            walker = SocketOwners.withFastReads(procFs);
        }
        int entries = walker.readProcess(p.pid(), table::add, problems);
        return entries < 0 ? null : table.build(p.startTicks(), p.openFds(), entries, listed);
    }

    /** Checks that each remembered fd holding a wanted socket still does. */
    private boolean verified(FdTable table, int pid, long[] wanted) {
        Path fdDir = null;
        for (int i = 0; i < table.fds.length; i++) {
            if (Arrays.binarySearch(wanted, table.inodes[i]) < 0) {
                continue;
            }
            if (fdDir == null) {
                fdDir = procFs.pidPath(pid, "fd");
            }
            try {
                String target = Files.readSymbolicLink(fdDir.resolve(Integer.toString(table.fds[i])))
                        .toString();
                if (SocketOwners.socketInode(target) != table.inodes[i]) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static SocketOwnerIndex.Builder collect(Map<Integer, FdTable> tables, long[] wanted) {
        SocketOwnerIndex.Builder index = new SocketOwnerIndex.Builder();
        if (wanted.length == 0) {
            return index;
        }
        tables.forEach((pid, table) -> {
            for (int i = 0; i < table.fds.length; i++) {
                if (Arrays.binarySearch(wanted, table.inodes[i]) >= 0) {
                    index.add(table.inodes[i], pid, table.fds[i]);
                }
            }
        });
        return index;
    }

    private static long[] ownerless(long[] wanted, SocketOwnerIndex.Builder index) {
        return Arrays.stream(wanted).filter(inode -> !index.has(inode)).toArray();
    }

    /** Both sorted ascending. */
    private static boolean isSubset(long[] some, long[] of) {
        for (long inode : some) {
            if (Arrays.binarySearch(of, inode) < 0) {
                return false;
            }
        }
        return true;
    }

    private static long[] sortedInodes(Set<Long> inodes) {
        long[] out = new long[inodes.size()];
        int n = 0;
        for (long inode : inodes) {
            out[n++] = inode;
        }
        Arrays.sort(out);
        return out;
    }

    private static final class Counter {
        int processesRead;
        int processesReused;
        long fdsRead;
        final Map<Integer, FdTable> freshlyRead = new HashMap<>();
    }

    /** The socket fds of one process as last read: fd numbers and their inodes, side by side. */
    private static final class FdTable {
        final long startTicks;
        final int openFds;
        final int entries;
        final int[] fds;
        final long[] inodes;
        /** The sockets the scan listed when the table was read; others belong to unscanned namespaces. */
        final long[] listedWhenRead;

        private FdTable(long startTicks, int openFds, int entries, int[] fds, long[] inodes, long[] listedWhenRead) {
            this.startTicks = startTicks;
            this.openFds = openFds;
            this.entries = entries;
            this.fds = fds;
            this.inodes = inodes;
            this.listedWhenRead = listedWhenRead;
        }

        /** Adds the wanted sockets this table holds to {@code found} and its pid to {@code holders}: whether it holds any. */
        boolean noteWanted(int pid, long[] wanted, Set<Long> found, Set<Integer> holders) {
            boolean holds = false;
            for (long inode : inodes) {
                if (Arrays.binarySearch(wanted, inode) >= 0) {
                    found.add(inode);
                    holds = true;
                }
            }
            return holds && holders.add(pid);
        }

        boolean stillDescribes(ProcessInfo p, long[] listed) {
            if (p.startTicks() != startTicks || p.openFds() != openFds || openFds < 0) {
                return false;
            }
            for (long inode : listedWhenRead) {
                if (Arrays.binarySearch(listed, inode) < 0) {
                    return false;
                }
            }
            return true;
        }

        static final class Builder {
            private int[] fds = new int[8];
            private long[] inodes = new long[8];
            private int size;

            void add(int fd, long inode) {
                if (size == fds.length) {
                    fds = Arrays.copyOf(fds, size * 2);
                    inodes = Arrays.copyOf(inodes, size * 2);
                }
                fds[size] = fd;
                inodes[size] = inode;
                size++;
            }

            FdTable build(long startTicks, int openFds, int entries, long[] listed) {
                long[] own = Arrays.copyOf(inodes, size);
                long[] listedOwn = Arrays.stream(own)
                        .filter(inode -> Arrays.binarySearch(listed, inode) >= 0)
                        .toArray();
                return new FdTable(startTicks, openFds, entries, Arrays.copyOf(fds, size), own, listedOwn);
            }
        }
    }
}
