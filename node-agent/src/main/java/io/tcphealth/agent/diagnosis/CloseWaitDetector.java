package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.Privileges;
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
 * CLOSE_WAIT sockets per owning process. The peer has closed; only the owner calling
 * {@code close()} ends a CLOSE_WAIT socket, so a growing number of them is an application leak.
 */
final class CloseWaitDetector implements Detector {
    private final Privileges privileges;

    CloseWaitDetector() {
        this(Privileges.current());
    }

    /** @param privileges who this command runs as: what to suggest when no owner could be found */
    CloseWaitDetector(Privileges privileges) {
        this.privileges = privileges;
    }

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        DiagnosisThresholds t = settings.thresholds();
        List<Finding> findings = new ArrayList<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            Map<String, SocketGroup> groups = new LinkedHashMap<>();
            for (TcpSocket s : ns.sockets()) {
                if (s.state() != TcpState.CLOSE_WAIT) {
                    continue;
                }
                ProcessInfo owner = view.owner(s);
                int port = view.servicePort(ns, s);
                groups.computeIfAbsent(SocketGroup.key(owner, port), k -> new SocketGroup(owner))
                        .add(s, port, view.socketAge(ns, s), view.holders(s));
            }
            for (SocketGroup g : groups.values()) {
                Severity severity = DiagnosisThresholds.byCount(g.count, t.closeWaitPerProcess());
                if (g.stuck(t.stuckAfter())) {
                    severity = Severity.max(severity, Severity.Warning);
                }
                String who = g.owner == null ? "no process that could be identified" : g.holdersText();
                String message = g.count + " CLOSE_WAIT socket" + (g.count == 1 ? "" : "s") + " on " + g.portsText()
                        + " held by " + who + ScanView.forAge(g.oldest) + "." + g.sharedText()
                        + " The peers closed these connections; the process has not closed its side, and only it can.";
                String next = g.owner == null
                        ? privileges.unknownOwnerHint()
                        : "Find where " + g.owner.comm()
                                + " stops using a connection without close() (after read() returns end-of-file,"
                                + " or a leaked client). "
                                + (g.hasSharedSockets()
                                        ? "Every holder must close a shared socket: restarting only one of "
                                                + g.holderPids()
                                                + " releases none of the shared ones; restarting all of them releases every one."
                                        : "Restarting it releases the sockets now.")
                                + " Keepalive ends them only for SO_KEEPALIVE sockets whose peer is gone.";
                findings.add(ScanView.findingAged(
                                FindingType.CloseWaitLeak,
                                severity,
                                g.count,
                                g.port(),
                                TcpState.CLOSE_WAIT,
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
}
