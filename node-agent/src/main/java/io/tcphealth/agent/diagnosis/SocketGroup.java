package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.socket.TcpSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Sockets gathered under one owner (or one port when the owner is unknown), with what findings report. */
final class SocketGroup {
    final ProcessInfo owner;
    long count;
    long bytes;
    long orphans;
    long persist;
    Age oldest;
    /** Sockets held by more than one process. */
    long shared;

    private final Map<Integer, Long> ports = new HashMap<>();
    private final Map<Integer, Long> heldBy = new java.util.TreeMap<>();
    private final Map<Integer, ProcessInfo> holders = new java.util.TreeMap<>();

    SocketGroup(ProcessInfo owner) {
        this.owner = owner;
    }

    /** Adds a socket with every process that holds it. */
    void add(TcpSocket s, int servicePort, Age age, java.util.List<ProcessInfo> holding) {
        add(s, servicePort, age);
        if (holding.size() > 1) {
            shared++;
        }
        for (ProcessInfo p : holding) {
            heldBy.merge(p.pid(), 1L, Long::sum);
            holders.putIfAbsent(p.pid(), p);
        }
    }

    /** Every holder with how many of the group's sockets it holds, lowest pid first. */
    java.util.List<Finding.Holder> holders() {
        return holders.values().stream()
                .limit(MAX_HOLDERS)
                .map(p -> new Finding.Holder(
                        p.pid(),
                        p.comm(),
                        p.container() == null ? null : p.container().containerId(),
                        heldBy.get(p.pid())))
                .toList();
    }

    /**
     * "socklab (pid 10)" for one holder; with several, each with its count:
     * "socklab (pid 10, 3 sockets) and socklab (pid 11, 3 sockets)".
     */
    String holdersText() {
        if (holders.size() <= 1) {
            return holders.isEmpty()
                    ? null
                    : ScanView.describe(holders.values().iterator().next());
        }
        java.util.List<String> each = new java.util.ArrayList<>();
        for (ProcessInfo p : holders.values()) {
            if (each.size() == MAX_HOLDERS) {
                each.add((holders.size() - MAX_HOLDERS) + " more processes");
                break;
            }
            String who = ScanView.describe(p);
            long n = heldBy.get(p.pid());
            each.add(who.replaceFirst("\\(pid (\\d+)\\)", "(pid $1, " + n + " socket" + (n == 1 ? "" : "s") + ")"));
        }
        return String.join(", ", each.subList(0, each.size() - 1)) + " and " + each.getLast();
    }

    /** " 3 of them are shared: a shared socket ends only when every holder has closed it.", or "". */
    String sharedText() {
        return shared == 0
                ? ""
                : " " + shared + " of them " + (shared == 1 ? "is" : "are")
                        + " shared: a shared socket ends only when every holder has closed it.";
    }

    /** Pids of every holder: "pid 10, pid 11". */
    String holderPids() {
        return holders.keySet().stream().map(pid -> "pid " + pid).collect(java.util.stream.Collectors.joining(", "));
    }

    boolean hasSharedSockets() {
        return shared > 0;
    }

    static final int MAX_HOLDERS = 16;

    /** The group's sockets, for commands that must select exactly them. */
    final java.util.List<TcpSocket> sockets = new java.util.ArrayList<>();

    void add(TcpSocket s, int servicePort, Age age) {
        sockets.add(s);
        count++;
        ports.merge(servicePort, 1L, Long::sum);
        oldest = Age.longer(oldest, age);
        if (s.isOrphan()) {
            orphans++;
        }
        if (s.timer() == io.tcphealth.agent.socket.TimerKind.PERSIST) {
            persist++;
        }
    }

    /** The port most of the group's sockets belong to (the lowest on a tie). */
    int port() {
        int best = 0;
        long bestCount = -1;
        for (Map.Entry<Integer, Long> e : ports.entrySet()) {
            if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }

    /** ":9080", or ":9080 (and 2 other ports)". */
    String portsText() {
        int others = ports.size() - 1;
        return ":" + port() + (others > 0 ? " (and " + others + " other port" + (others > 1 ? "s" : "") + ")" : "");
    }

    boolean stuck(Duration stuckAfter) {
        return oldest != null && oldest.duration().compareTo(stuckAfter) >= 0;
    }

    /** Key for grouping: the owner's pid, or the port when no owner is known. */
    static String key(ProcessInfo owner, int servicePort) {
        return owner != null ? "pid:" + owner.pid() : "port:" + servicePort;
    }
}
