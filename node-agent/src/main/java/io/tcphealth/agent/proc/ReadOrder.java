package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * In which order owners are looked for, and which processes may be skipped once every wanted socket has an owner.
 *
 * <p>Order: the processes of the scanned namespaces first, then the others; within each, those now in a cgroup that
 * created one of the wanted sockets first (cgroup v2: the socket's {@code INET_DIAG_CGROUP_ID}, see {@link
 * CgroupTree}); within those, the processes running as a user who created one of them ({@code idiag_uid}, compared
 * with the owner of {@code /proc/<pid>}) first; within those, the biggest fd tables first. A pile-up of sockets
 * makes its holder's fd table grow, and a server's table holds its listeners and its connections, so the holders
 * are usually among the first read. None of it leaves anybody out: the cgroup and the uid are only guesses at the
 * holder, since a process can move to another cgroup and an fd can be passed to a process of another user.
 *
 * <p>Skipping: a socket is shared by the processes that inherited its fd ({@code fork}) or were sent it
 * ({@code SCM_RIGHTS}). Once every wanted socket has an owner, the walk still reads every relative of a holder (its
 * ancestors and descendants: what a fork shares), and the relatives of holders found that way, and leaves out the
 * rest. What that can miss is an unrelated process that was sent a socket a holder already has.
 */
final class ReadOrder {
    private final Map<Integer, ProcessInfo> byPid = new HashMap<>();
    private final Map<Integer, List<Integer>> children = new HashMap<>();
    private final Set<Integer> candidates;
    private final Supplier<Set<Integer>> inCreatorCgroups;
    private final Set<Integer> uids;
    private final ProcFs procFs;

    /**
     * @param candidates       the processes of the scanned namespaces
     * @param inCreatorCgroups the processes now in the cgroups that created the wanted sockets (may be empty: unknown);
     *                         asked for only when {@link #queue} is
     * @param uids             the users that created them (may be empty: unknown)
     */
    ReadOrder(
            ProcessTable processes,
            Set<Integer> candidates,
            Supplier<Set<Integer>> inCreatorCgroups,
            Set<Integer> uids,
            ProcFs procFs) {
        for (ProcessInfo p : processes.all()) {
            byPid.put(p.pid(), p);
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
        }
        this.candidates = candidates;
        this.inCreatorCgroups = inCreatorCgroups;
        this.uids = uids;
        this.procFs = procFs;
    }

    ProcessInfo process(int pid) {
        return byPid.get(pid);
    }

    /** Pids are below 2^22 ({@code pid_max} can be 4,194,304 at most). */
    private static final int PID_BITS = 22;

    /** {@code pids} in the order to read them: see the class comment. */
    List<Integer> queue(List<Integer> pids) {
        Set<Integer> inCgroups = inCreatorCgroups.get();
        // One sort key per process: the group (3 bits), then the fd count, largest first (31 bits), then the pid.
        long[] keys = new long[pids.size()];
        int n = 0;
        for (int pid : pids) {
            long group = (candidates.contains(pid) ? 0 : 4)
                    + (inCgroups.isEmpty() || inCgroups.contains(pid) ? 0 : 2)
                    + (uids.isEmpty() || uids.contains(uid(procFs, pid)) ? 0 : 1);
            long fewerFds = Integer.MAX_VALUE - Math.max(0, byPid.get(pid).openFds());
            keys[n++] = group << (31 + PID_BITS) | fewerFds << PID_BITS | pid;
        }
        Arrays.sort(keys);
        List<Integer> out = new ArrayList<>(keys.length);
        for (long key : keys) {
            out.add((int) (key & ((1 << PID_BITS) - 1)));
        }
        return out;
    }

    /** The effective uid a process's /proc entry is owned by; -1 when it is gone. */
    private static int uid(ProcFs procFs, int pid) {
        try {
            return (Integer) Files.getAttribute(procFs.pidPath(pid, ""), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The ancestors and descendants of every holder (pid 0 and the holders themselves left out). */
    Set<Integer> relatives(Set<Integer> holders) {
        Set<Integer> out = new HashSet<>();
        for (int holder : holders) {
            ProcessInfo p = byPid.get(holder);
            while (p != null && p.ppid() > 0 && out.add(p.ppid())) {
                p = byPid.get(p.ppid());
            }
        }
        Set<Integer> seen = new HashSet<>(holders);
        ArrayDeque<Integer> down = new ArrayDeque<>(holders);
        while (!down.isEmpty()) {
            for (int child : children.getOrDefault(down.poll(), List.of())) {
                if (seen.add(child)) {
                    out.add(child);
                    down.add(child);
                }
            }
        }
        out.removeAll(holders);
        return out;
    }
}
