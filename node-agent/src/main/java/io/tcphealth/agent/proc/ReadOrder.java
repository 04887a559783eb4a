package io.tcphealth.agent.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In which order a read of the whole node visits the processes outside the scanned namespaces, and which of them it
 * may skip once every wanted socket has an owner.
 *
 * <p>Order: first the processes running as a user who created one of the wanted sockets ({@code idiag_uid}, compared
 * with the owner of {@code /proc/<pid>}), then the others; the uid is only a guess at the holder, since an fd can be
 * passed to a process of another user, so nobody is left out by it.
 *
 * <p>Skipping: a socket is shared by the processes that inherited its fd ({@code fork}) or were sent it
 * ({@code SCM_RIGHTS}). Once every wanted socket has an owner, the walk still reads every relative of a holder (its
 * ancestors and descendants: what a fork shares), and the relatives of holders found that way, and leaves out the
 * rest. What that can miss is an unrelated process outside the scanned namespaces that was sent a socket already held
 * by a process inside them; processes inside them are always read.
 */
final class ReadOrder {
    private final Map<Integer, ProcessInfo> byPid = new HashMap<>();
    private final Map<Integer, List<Integer>> children = new HashMap<>();

    ReadOrder(ProcessTable processes) {
        for (ProcessInfo p : processes.all()) {
            byPid.put(p.pid(), p);
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
        }
    }

    ProcessInfo process(int pid) {
        return byPid.get(pid);
    }

    /** {@code pids} with those running as one of {@code uids} first, each part in the given order. */
    List<Integer> uidsFirst(List<Integer> pids, Set<Integer> uids, ProcFs procFs) {
        if (uids.isEmpty()) {
            return pids;
        }
        List<Integer> matching = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        for (int pid : pids) {
            (uids.contains(uid(procFs, pid)) ? matching : others).add(pid);
        }
        matching.addAll(others);
        return matching;
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
