package io.tcphealth.agent.diagnosis;

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
 * Sockets whose owner does not read what arrived. In CLOSE_WAIT any unread data means the owner
 * stopped reading altogether (it would otherwise have reached the end-of-file); that was the
 * signature of the zombie-held port in the field report.
 */
final class UnreadReceiveQueueDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        long limit = settings.thresholds().recvQueueBytes();
        List<Finding> findings = new ArrayList<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            Map<String, SocketGroup> groups = new LinkedHashMap<>();
            for (TcpSocket s : ns.sockets()) {
                long unread = unreadBytes(s);
                boolean closeWait = s.state() == TcpState.CLOSE_WAIT;
                if (unread <= 0 || (!closeWait && unread < limit)) {
                    continue;
                }
                ProcessInfo owner = view.owner(s);
                int port = view.servicePort(ns, s);
                SocketGroup g = groups.computeIfAbsent(SocketGroup.key(owner, port), k -> new SocketGroup(owner));
                g.add(s, port, view.socketAge(ns, s), view.holders(s));
                g.bytes += unread;
            }
            for (SocketGroup g : groups.values()) {
                boolean ownerDead = g.owner != null && g.owner.isZombie();
                Severity severity = ownerDead ? Severity.Critical : Severity.Warning;
                String who = g.owner == null ? "an unidentified process" : g.holdersText();
                String message = g.count + " socket" + (g.count == 1 ? "" : "s") + " on " + g.portsText() + " hold "
                        + g.bytes + " unread bytes for " + who + ScanView.forAge(g.oldest)
                        + (ownerDead
                                ? ". The owner is a zombie: nothing will ever read them."
                                : ". The owner has stopped reading.")
                        + g.sharedText();
                String next = "Check whether " + (g.owner == null ? "the owner" : g.owner.comm())
                        + " is blocked, deadlocked or dead (see ZombieHoldsSockets). Timeouts and keepalive do not clear"
                        + " a socket with unread data; only the owner reading and closing it, or ending the owner, does.";
                findings.add(ScanView.findingAged(
                                FindingType.UnreadReceiveQueue,
                                severity,
                                g.count,
                                g.port(),
                                null,
                                g.owner,
                                ns.namespace(),
                                g.oldest,
                                message,
                                next)
                        .withHolders(g.holders()));
            }
        }
        return findings;
    }

    /**
     * Unread payload bytes. In CLOSE_WAIT the peer's FIN takes one sequence number, counted in
     * Recv-Q until the owner reads the end-of-file, so it is not data.
     */
    static long unreadBytes(TcpSocket s) {
        return switch (s.state()) {
            case ESTABLISHED -> s.recvQueue();
            case CLOSE_WAIT -> Math.max(0, s.recvQueue() - 1);
            default -> 0;
        };
    }
}
