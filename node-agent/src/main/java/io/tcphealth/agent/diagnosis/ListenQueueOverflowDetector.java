package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.NetLimits;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.TcpCounter;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Listeners whose accept queue is full. For a LISTEN socket the kernel reports the connections
 * waiting for {@code accept()} as Recv-Q and the backlog ({@code listen()}'s argument, capped by
 * {@code net.core.somaxconn}) as Send-Q. Once the queue is past the backlog, completed handshakes
 * are dropped (the namespace's {@code ListenOverflows} and {@code ListenDrops} rise) and clients
 * retry their SYN with backoff: connect timeouts while the application looks idle.
 */
final class ListenQueueOverflowDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        ConnectionThresholds t = settings.thresholds().connections();
        List<Finding> findings = new ArrayList<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            long overflows = ns.counters() == null ? 0 : ns.counters().rise(TcpCounter.LISTEN_OVERFLOWS);
            long drops = ns.counters() == null ? 0 : ns.counters().rise(TcpCounter.LISTEN_DROPS);
            boolean rising = overflows >= t.listenOverflowsPerScan();
            int full = 0;
            for (TcpSocket s : ns.sockets()) {
                if (s.state() != TcpState.LISTEN || s.recvQueue() < Math.max(1, s.sendQueue())) {
                    continue;
                }
                full++;
                ProcessInfo owner = view.owner(s);
                Severity severity = rising ? Severity.Critical : Severity.Warning;
                String who = owner == null ? "a process that could not be identified" : ScanView.describe(owner);
                String message = "Listener " + s.localEndpoint() + " of " + who + " has " + s.recvQueue()
                        + " connection" + (s.recvQueue() == 1 ? "" : "s")
                        + " waiting in its accept queue, at its backlog of "
                        + s.sendQueue() + backlogNote(s.sendQueue(), ns.limits())
                        + ". Further handshakes are dropped and clients see connect timeouts while the application looks idle."
                        + counterNote(ns, overflows, drops);
                String next =
                        (owner == null ? "The owner" : owner.comm()) + " is not calling accept() fast enough: check"
                                + " whether its accept loop is blocked (worker pool exhausted, event loop stalled, a lock)."
                                + " A larger backlog (listen(fd, N), capped by net.core.somaxconn) absorbs bursts, not a process that"
                                + " stopped accepting.";
                findings.add(ScanView.finding(
                        FindingType.ListenQueueOverflow,
                        severity,
                        s.recvQueue(),
                        s.localPort(),
                        TcpState.LISTEN,
                        owner,
                        ns.namespace(),
                        null,
                        message,
                        next));
            }
            if (full == 0 && rising) {
                String message = overflows + " completed handshake" + (overflows == 1 ? " was" : "s were")
                        + " dropped since the last scan in " + ns.namespace().label()
                        + " because an accept queue was full (ListenOverflows; " + drops
                        + " ListenDrops). No queue is full"
                        + " right now: the listener falls behind in bursts.";
                String next =
                        "Find the listener whose Recv-Q approaches its Send-Q (ss -ltn in that namespace) and look at how"
                                + " fast its owner accepts; raise its backlog if the bursts are legitimate.";
                findings.add(ScanView.finding(
                        FindingType.ListenQueueOverflow,
                        Severity.Warning,
                        overflows,
                        null,
                        TcpState.LISTEN,
                        null,
                        ns.namespace(),
                        null,
                        message,
                        next));
            }
        }
        return findings;
    }

    private static String backlogNote(long backlog, NetLimits limits) {
        if (limits == null || limits.somaxconn() < 0) {
            return "";
        }
        return backlog >= limits.somaxconn()
                ? " (capped by net.core.somaxconn = " + limits.somaxconn()
                        + " in this namespace: the application may have asked for more)"
                : " (net.core.somaxconn here allows up to " + limits.somaxconn() + ")";
    }

    private static String counterNote(NamespaceScan ns, long overflows, long drops) {
        if (ns.counters() == null || ns.counters().sincePrevious() == null) {
            return "";
        }
        return " Since the last scan " + overflows + " handshake" + (overflows == 1 ? " was" : "s were")
                + " dropped for a full queue in this namespace (ListenOverflows; ListenDrops rose by " + drops + ").";
    }
}
