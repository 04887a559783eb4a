package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ContainerRef;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FIN_WAIT1 sockets per namespace and service port. The local side closed, but its FIN is queued
 * behind data the peer does not read (a zero window), so the kernel keeps probing with the persist
 * timer. Usually the socket is an orphan (no process holds it) and lives until
 * {@code tcp_orphan_retries} runs out or orphans exceed {@code tcp_max_orphans}.
 *
 * <p>The threshold is per node, so every group's severity follows the node's total.
 */
final class FinWait1Detector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        DiagnosisThresholds t = settings.thresholds();
        long nodeTotal = 0;
        // A list, not a map keyed by the scans: a record's hashCode would hash every socket in it.
        List<Map.Entry<NamespaceScan, Map<Integer, SocketGroup>>> byNamespace = new ArrayList<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            Map<Integer, SocketGroup> groups = new LinkedHashMap<>();
            for (TcpSocket s : ns.sockets()) {
                if (s.state() != TcpState.FIN_WAIT1) {
                    continue;
                }
                int port = view.servicePort(ns, s);
                ProcessInfo owner = view.owner(s);
                groups.computeIfAbsent(port, p -> new SocketGroup(owner))
                        .add(s, port, view.socketAge(ns, s), view.holders(s));
                nodeTotal++;
            }
            byNamespace.add(Map.entry(ns, groups));
        }
        Severity nodeSeverity = DiagnosisThresholds.byCount(nodeTotal, t.finWait1());
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<NamespaceScan, Map<Integer, SocketGroup>> e : byNamespace) {
            for (SocketGroup g : e.getValue().values()) {
                Severity severity =
                        g.stuck(t.stuckAfter()) ? Severity.max(nodeSeverity, Severity.Warning) : nodeSeverity;
                ContainerRef madeIn = g.orphans == g.count ? orphansContainer(view, g) : null;
                String message = g.count + " FIN_WAIT1 socket" + (g.count == 1 ? "" : "s") + " on " + g.portsText()
                        + " (" + g.orphans + " orphaned, " + g.persist + " probing a zero window)"
                        + ScanView.forAge(g.oldest)
                        + ". The local side closed, but its FIN waits behind data the peer does not read."
                        + (madeIn == null
                                ? ""
                                : " No process holds them any more; they were made in container " + madeIn.shortId()
                                        + ".");
                String kill = SsKillCommand.of(e.getKey().namespace(), TcpState.FIN_WAIT1, g.port(), g.sockets);
                String next =
                        "Find the peer that stopped reading. Orphans go when tcp_orphan_retries runs out (0 means 8 tries,"
                                + " minutes with backoff); killing them with SOCK_DESTROY frees them now on kernels that support it"
                                + (kill == null ? "" : " (" + kill + ")")
                                + "; the last resort is a short tcp_max_orphans=0 pulse, restored at once.";
                findings.add(ScanView.findingAged(
                        FindingType.FinWait1Stuck,
                        severity,
                        g.count,
                        g.port(),
                        TcpState.FIN_WAIT1,
                        g.orphans == g.count ? null : g.owner,
                        madeIn,
                        e.getKey().namespace(),
                        g.oldest,
                        message,
                        next));
            }
        }
        return findings;
    }

    /**
     * The container whose cgroup made every one of the group's orphans (cgroup v2 keeps the creator's cgroup on the
     * socket), or null when that is not one container.
     */
    private static ContainerRef orphansContainer(ScanView view, SocketGroup g) {
        ContainerRef found = null;
        for (TcpSocket s : g.sockets) {
            ContainerRef c = view.scan().orphanContainer(s).orElse(null);
            if (c == null || (found != null && !found.containerId().equals(c.containerId()))) {
                return null;
            }
            found = c;
        }
        return found;
    }
}
