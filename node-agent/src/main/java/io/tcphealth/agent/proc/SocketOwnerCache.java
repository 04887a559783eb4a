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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Finds the owners of the sockets worth attributing, reading as few {@code /proc/<pid>/fd} directories as it can: one
 * readlink per fd costs 3-7 µs of kernel time, 0.3-0.7 s for 100k sockets.
 *
 * <p>Two things keep the reads few. First, each process's socket fds are remembered between scans, and used again
 * when all of this holds (otherwise the process is read afresh):
 * <ul>
 *   <li>same pid and same start time (a reused pid is a different process);</li>
 *   <li>same number of open fds (the process table reads it with one stat, see
 *       {@link ProcessTableReader});</li>
 *   <li>every socket it held that the scan listed back then is still listed: a closed socket whose
 *       fd number was reused for a new one changes nothing else;</li>
 *   <li>each remembered fd whose socket is wanted still names that socket (one readlink each), so
 *       every owner reported was checked in this scan.</li>
 * </ul>
 * Second, processes are read in {@link ReadOrder}'s order (those of the scanned namespaces first, those in the
 * sockets' creators' cgroups or running as their users first among them, the biggest fd tables first) only until every wanted socket has an owner; after that
 * only the relatives of the holders are read (their ancestors and descendants: what a fork shares). What that leaves
 * out is a process unrelated to any holder that was sent ({@code SCM_RIGHTS}) a socket another process already
 * holds: the socket is reported with the holders found.
 *
 * <p>What the remembered fds cannot show is a non-socket fd replaced by a socket, or a socket fd re-pointed with
 * {@code dup2} at a socket that already existed. So when a wanted socket is left without an owner after every
 * process was looked at, the walk is done again trusting only what this scan read (once per scan; sockets that even
 * that leaves ownerless do not count twice, and later scans do not read everything for them again), and every
 * {@code fullReadEvery}-th scan, the first included, trusts nothing remembered. A scan with no socket worth
 * attributing reads nothing.
 *
 * <p>Dead thread-group leaders (state Z with live threads) and kernel threads are left out: the
 * caller reads a dead leader's sockets through its threads on every scan.
 *
 * <p>With more than one reader, the processes next in line are read at once, one per reader, so a walk may read a
 * few more of them than it had to.
 *
 * <p>Not thread-safe: one scanner uses one cache, one scan at a time.
 */
public final class SocketOwnerCache {
    private static final long[] NONE = new long[0];

    private final ProcFs procFs;
    /** Made on first use: the libc fd reader links its downcalls then, which a scan with nothing to attribute skips. */
    private SocketOwners walker;

    private final int fullReadEvery;
    private final int readers;
    /** Made on first use, when a walk has two processes to read at once; its threads are daemons. */
    private ExecutorService pool;

    private Map<Integer, FdTable> tables = new HashMap<>();
    private long[] ownerlessAfterFullRead = NONE;
    private long scans;
    private Stats lastStats = new Stats(0, 0, 0, false);

    /** @param fullReadEvery every how many scans every process is read afresh (1 = always) */
    public SocketOwnerCache(ProcFs procFs, int fullReadEvery) {
        this(procFs, fullReadEvery, 1);
    }

    /**
     * @param readers how many fd directories are read at once: the kernel's readlinks of different processes run in
     *                parallel, so on a machine with free cores this divides the wall time of a walk
     */
    public SocketOwnerCache(ProcFs procFs, int fullReadEvery, int readers) {
        if (fullReadEvery < 1) {
            throw new IllegalArgumentException("fullReadEvery must be at least 1, got " + fullReadEvery);
        }
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be at least 1, got " + readers);
        }
        this.procFs = procFs;
        this.fullReadEvery = fullReadEvery;
        this.readers = readers;
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
     * ({@code idiag_uid}): processes of those users are looked at first (see {@link ReadOrder}).
     */
    public SocketOwnerIndex owners(
            ProcessTable processes,
            Set<Integer> candidates,
            long[] listed,
            Set<Long> wanted,
            Set<Integer> ownerUids,
            ScanProblems problems) {
        return owners(processes, candidates, listed, wanted, Set::of, ownerUids, problems);
    }

    /**
     * The owners of the {@code wanted} sockets, where {@code inCreatorCgroups} gives the processes now in the cgroups
     * that created them and {@code ownerUids} are the uids that did: those processes are looked at first (see
     * {@link ReadOrder}). The order, and with it those processes, is asked for only when some process has to be read.
     */
    public SocketOwnerIndex owners(
            ProcessTable processes,
            Set<Integer> candidates,
            long[] listed,
            Set<Long> wanted,
            Supplier<Set<Integer>> inCreatorCgroups,
            Set<Integer> ownerUids,
            ScanProblems problems) {
        if (wanted.isEmpty()) {
            // Nothing to attribute, so no fd is read: a diagnose with nothing to report pays nothing for owners, and
            // the next scan that wants owners counts as the first (a full read).
            lastStats = new Stats(0, 0, 0, false);
            return new SocketOwnerIndex.Builder().build();
        }
        long[] wantedSorted = sortedInodes(wanted);
        boolean fullRead = scans++ % fullReadEvery == 0;
        ReadOrder order = new ReadOrder(processes, candidates, inCreatorCgroups, ownerUids, procFs);
        List<Integer> walkable = walkablePids(processes);
        Counter counter = new Counter();
        Map<Integer, FdTable> next = walk(
                order,
                walkable,
                fullRead ? Map.of() : tables,
                listed,
                wantedSorted,
                fullRead ? NONE : ownerlessAfterFullRead,
                counter,
                problems);
        SocketOwnerIndex.Builder index = collect(next, wantedSorted);
        long[] ownerless = ownerless(wantedSorted, index);
        if (!fullRead && !isSubset(ownerless, ownerlessAfterFullRead)) {
            // A socket nobody seems to hold: the remembered tables are what could be wrong (a dup2, a file fd replaced
            // by a socket), so walk again trusting only the tables read in this scan.
            fullRead = true;
            next = walk(order, walkable, counter.freshlyRead, listed, wantedSorted, NONE, counter, problems);
            index = collect(next, wantedSorted);
            ownerless = ownerless(wantedSorted, index);
        }
        if (fullRead) {
            ownerlessAfterFullRead = ownerless;
        }
        tables = next;
        lastStats = new Stats(counter.processesRead, counter.processesReused, counter.fdsRead, fullRead);
        return index.build();
    }

    /**
     * One walk: first every process whose table in {@code known} still describes it (a readlink per wanted fd), then
     * the others in {@code order}, read until every wanted socket but the {@code mayStayOwnerless} ones has an owner;
     * after that only the relatives of holders are read (what a fork shares), and the relatives of holders found that
     * way. The others are put in order only when the remembered tables left a socket without an owner.
     */
    private Map<Integer, FdTable> walk(
            ReadOrder order,
            List<Integer> walkable,
            Map<Integer, FdTable> known,
            long[] listed,
            long[] wanted,
            long[] mayStayOwnerless,
            Counter counter,
            ScanProblems problems) {
        Map<Integer, FdTable> next = new HashMap<>();
        Search search = new Search(wanted, mayStayOwnerless);
        List<Integer> unread = new ArrayList<>();
        for (int pid : walkable) {
            FdTable old = known.get(pid);
            ProcessInfo p = order.process(pid);
            if (old != null && old.stillDescribes(p, listed) && verified(old, pid, wanted)) {
                counter.processesReused++;
                next.put(pid, old);
                search.note(pid, old);
            } else {
                unread.add(pid);
            }
        }
        if (!search.enough()) {
            unread = order.queue(unread);
        }
        boolean newHolders = true;
        while (newHolders && !unread.isEmpty()) {
            newHolders = false;
            List<Integer> skipped = new ArrayList<>();
            Set<Integer> relatives = null;
            for (int at = 0; at < unread.size(); ) {
                // The next processes to read, up to one per reader; once every socket has an owner, only relatives.
                List<ProcessInfo> batch = new ArrayList<>(readers);
                while (at < unread.size() && batch.size() < readers) {
                    int pid = unread.get(at++);
                    if (search.enough()) {
                        if (relatives == null) {
                            relatives = order.relatives(search.holders);
                        }
                        if (!relatives.contains(pid)) {
                            skipped.add(pid);
                            continue;
                        }
                    }
                    batch.add(order.process(pid));
                }
                List<FdTable> read = readAll(batch, listed, problems);
                for (int i = 0; i < batch.size(); i++) {
                    int pid = batch.get(i).pid();
                    FdTable table = read.get(i);
                    counter.processesRead++;
                    if (table == null) {
                        continue;
                    }
                    counter.fdsRead += table.entries;
                    counter.freshlyRead.put(pid, table);
                    next.put(pid, table);
                    if (search.note(pid, table)) {
                        relatives = null;
                        newHolders = true;
                    }
                }
            }
            unread = skipped;
        }
        return next;
    }

    /** Reads the processes' fd tables, at once when there are several and more than one reader (null: unreadable). */
    private List<FdTable> readAll(List<ProcessInfo> batch, long[] listed, ScanProblems problems) {
        if (walker == null) {
            walker = SocketOwners.withFastReads(procFs);
        }
        List<FdTable> out = new ArrayList<>(batch.size());
        if (batch.size() < 2) {
            for (ProcessInfo p : batch) {
                out.add(read(p, listed, problems));
            }
            return out;
        }
        if (pool == null) {
            pool = Executors.newFixedThreadPool(
                    readers, Thread.ofPlatform().daemon().name("fd-reader-", 1).factory());
        }
        List<Future<FdTable>> reads = new ArrayList<>(batch.size());
        for (ProcessInfo p : batch) {
            reads.add(pool.submit(() -> read(p, listed, problems)));
        }
        boolean interrupted = false;
        for (Future<FdTable> f : reads) {
            while (true) {
                try {
                    out.add(f.get());
                    break;
                } catch (InterruptedException e) {
                    // The reads are short and bounded: finish them, then hand the interrupt on.
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException("Reading an fd directory failed", e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** What one walk has found: the wanted sockets with an owner, and their holders. */
    private static final class Search {
        private final long[] wanted;
        private final long[] mayStayOwnerless;
        private final Set<Long> found = new HashSet<>();
        final Set<Integer> holders = new HashSet<>();
        /** Wanted sockets that must have an owner before the walk may stop, and how many of them have one. */
        private final int needed;

        private int neededFound;

        Search(long[] wanted, long[] mayStayOwnerless) {
            this.wanted = wanted;
            this.mayStayOwnerless = mayStayOwnerless;
            int n = 0;
            for (long inode : wanted) {
                if (Arrays.binarySearch(mayStayOwnerless, inode) < 0) {
                    n++;
                }
            }
            this.needed = n;
        }

        /** Notes the wanted sockets a process's table holds: whether it is a holder not seen before. */
        boolean note(int pid, FdTable table) {
            boolean holds = false;
            for (long inode : table.inodes) {
                if (Arrays.binarySearch(wanted, inode) >= 0) {
                    holds = true;
                    if (found.add(inode) && Arrays.binarySearch(mayStayOwnerless, inode) < 0) {
                        neededFound++;
                    }
                }
            }
            return holds && holders.add(pid);
        }

        /** Whether every wanted socket that must have an owner has one. */
        boolean enough() {
            return neededFound >= needed;
        }
    }

    private static List<Integer> walkablePids(ProcessTable processes) {
        List<Integer> out = new ArrayList<>();
        for (ProcessInfo p : processes.all()) {
            if (walkable(p, processes)) {
                out.add(p.pid());
            }
        }
        return out;
    }

    private static boolean walkable(ProcessInfo p, ProcessTable processes) {
        return !p.kernelThread() && processes.liveThreads(p.pid()).isEmpty();
    }

    /** Reads a process's socket fds afresh; null when its fd directory could not be listed. Safe on any thread. */
    private FdTable read(ProcessInfo p, long[] listed, ScanProblems problems) {
        FdTable.Builder table = new FdTable.Builder();
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
