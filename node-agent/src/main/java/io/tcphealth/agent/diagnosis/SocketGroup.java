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
    Duration oldest;
    private final Map<Integer, Long> ports = new HashMap<>();

    SocketGroup(ProcessInfo owner) {
        this.owner = owner;
    }

    void add(TcpSocket s, int servicePort, Duration age) {
        count++;
        ports.merge(servicePort, 1L, Long::sum);
        oldest = ScanView.older(oldest, age);
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
        return oldest != null && oldest.compareTo(stuckAfter) >= 0;
    }

    /** Key for grouping: the owner's pid, or the port when no owner is known. */
    static String key(ProcessInfo owner, int servicePort) {
        return owner != null ? "pid:" + owner.pid() : "port:" + servicePort;
    }
}
