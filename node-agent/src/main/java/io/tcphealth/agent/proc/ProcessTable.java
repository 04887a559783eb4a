package io.tcphealth.agent.proc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The processes of one scan, indexed by pid and by parent. A snapshot: immutable, and built either
 * by {@link ProcessTableReader} from procfs or with {@link #of} in tests.
 *
 * <p>A thread-group leader that called {@code pthread_exit} (or {@code SYS_exit}) while other
 * threads live on shows state {@code Z} in {@code /proc/<pid>/stat}, yet the process is alive: its
 * threads keep running and keep its sockets open, and the parent cannot reap it until the last
 * thread exits. Such leaders are listed by {@link #zombieLeadersWithLiveThreads()} and are not
 * counted among the reapable zombies of {@link #zombiesByParent()}.
 */
public final class ProcessTable {
    private final Map<Integer, ProcessInfo> byPid;
    private final Map<Integer, List<ProcessInfo>> children;
    private final Map<Integer, List<Integer>> liveThreadsOfDeadLeaders;

    private ProcessTable(Map<Integer, ProcessInfo> byPid, Map<Integer, List<Integer>> liveThreadsOfDeadLeaders) {
        this.byPid = byPid;
        this.liveThreadsOfDeadLeaders = liveThreadsOfDeadLeaders;
        Map<Integer, List<ProcessInfo>> kids = new HashMap<>();
        for (ProcessInfo p : byPid.values()) {
            kids.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
        }
        kids.replaceAll((k, v) -> List.copyOf(v));
        this.children = kids;
    }

    /**
     * @param processes               one entry per pid (a later duplicate replaces an earlier one)
     * @param liveThreadsOfDeadLeaders for leaders in state Z whose other threads still run: their
     *                                tids
     */
    public static ProcessTable of(
            Collection<ProcessInfo> processes, Map<Integer, List<Integer>> liveThreadsOfDeadLeaders) {
        Map<Integer, ProcessInfo> byPid = new TreeMap<>();
        for (ProcessInfo p : processes) {
            byPid.put(p.pid(), p);
        }
        Map<Integer, List<Integer>> live = new TreeMap<>();
        liveThreadsOfDeadLeaders.forEach((pid, tids) -> {
            if (!tids.isEmpty()) {
                live.put(pid, List.copyOf(tids));
            }
        });
        return new ProcessTable(Collections.unmodifiableMap(byPid), Collections.unmodifiableMap(live));
    }

    public static ProcessTable of(Collection<ProcessInfo> processes) {
        return of(processes, Map.of());
    }

    public Optional<ProcessInfo> find(int pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    /** Every process, by ascending pid. */
    public List<ProcessInfo> all() {
        return List.copyOf(byPid.values());
    }

    public int size() {
        return byPid.size();
    }

    /** Direct children of {@code pid}, by ascending pid. */
    public List<ProcessInfo> childrenOf(int pid) {
        return children.getOrDefault(pid, List.of());
    }

    /**
     * Zombies nobody has reaped yet, grouped by the parent that should (by ascending parent pid).
     * Leaders whose threads still run are left out: there is nothing to reap yet.
     */
    public Map<Integer, List<ProcessInfo>> zombiesByParent() {
        Map<Integer, List<ProcessInfo>> out = new TreeMap<>();
        for (ProcessInfo p : byPid.values()) {
            if (p.isZombie() && !liveThreadsOfDeadLeaders.containsKey(p.pid())) {
                out.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    /** The live threads of a leader in state Z; empty for every other process. */
    public List<Integer> liveThreads(int pid) {
        return liveThreadsOfDeadLeaders.getOrDefault(pid, List.of());
    }

    /** Leaders in state Z whose other threads still run (and may hold sockets). */
    public List<ProcessInfo> zombieLeadersWithLiveThreads() {
        List<ProcessInfo> out = new ArrayList<>();
        for (Integer pid : liveThreadsOfDeadLeaders.keySet()) {
            ProcessInfo p = byPid.get(pid);
            if (p != null) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }
}
