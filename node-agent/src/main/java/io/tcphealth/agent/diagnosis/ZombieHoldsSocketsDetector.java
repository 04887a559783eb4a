package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A thread-group leader that exited while other threads run on: {@code ps} shows it as a zombie,
 * it cannot be reaped until every thread ends, and the live threads still hold its sockets. Such
 * sockets (often CLOSE_WAIT with unread data) never go away by themselves.
 */
final class ZombieHoldsSocketsDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        List<Finding> findings = new ArrayList<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            Map<Integer, SocketGroup> groups = new LinkedHashMap<>();
            for (TcpSocket s : ns.sockets()) {
                for (SocketOwner o : view.scan().ownersOf(s.inode())) {
                    ProcessInfo p = view.scan().processes().get(o.pid());
                    if (p != null && p.isZombie()) {
                        groups.computeIfAbsent(p.pid(), k -> new SocketGroup(p))
                                .add(s, view.servicePort(ns, s), view.socketAge(ns, s));
                        break;
                    }
                }
            }
            for (SocketGroup g : groups.values()) {
                int liveThreads = Math.max(0, g.owner.threads() - 1);
                String message = ScanView.describe(g.owner) + " is a zombie: its main thread exited, yet "
                        + (liveThreads > 0
                                ? liveThreads + " live thread" + (liveThreads == 1 ? "" : "s")
                                : "its remaining threads")
                        + (liveThreads == 1 ? " still holds " : " still hold ") + g.count + " socket"
                        + (g.count == 1 ? "" : "s") + " on " + g.portsText()
                        + ". It cannot be reaped, and the sockets cannot close, until those threads end.";
                String next =
                        "Kill the process (kill -9 " + g.owner.pid() + " ends every thread) or restart its container;"
                                + " then fix the program so its main thread does not exit while others keep working.";
                findings.add(ScanView.findingAged(
                        FindingType.ZombieHoldsSockets,
                        Severity.Critical,
                        g.count,
                        g.port(),
                        null,
                        g.owner,
                        ns.namespace(),
                        g.oldest,
                        message,
                        next));
            }
        }
        return findings;
    }
}
