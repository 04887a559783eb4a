package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.Endpoints;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ESTABLISHED connections whose retransmission timer has fired again and again with nothing
 * acknowledged: the peer is gone, or a firewall, NAT or load balancer dropped the flow. The kernel
 * doubles the timeout each time and gives up only after {@code net.ipv4.tcp_retries2} timeouts (15
 * by default: about 15 minutes), so until then the application's writes and reads just hang. The
 * kernel's tcp_info says how long ago the peer last acknowledged anything: the stall's age, known on
 * the first scan.
 */
final class StalledConnectionDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        int threshold = settings.thresholds().connections().stalledRetransmits();
        List<Finding> findings = new ArrayList<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            Map<String, Stall> groups = new LinkedHashMap<>();
            for (TcpSocket s : ns.sockets()) {
                if (s.state() != TcpState.ESTABLISHED
                        || s.timer() != TimerKind.RETRANSMIT
                        || s.retransmits() < threshold) {
                    continue;
                }
                ProcessInfo owner = view.owner(s);
                String peer = Endpoints.format(s.remote(), s.remotePort());
                groups.computeIfAbsent(
                                (owner == null ? "?" : owner.pid()) + "/" + peer,
                                k -> new Stall(owner, peer, s.remotePort()))
                        .add(s);
            }
            long retries2 = ns.limits() == null ? -1 : ns.limits().tcpRetries2();
            for (Stall g : groups.values()) {
                Severity severity = g.worst >= 2L * threshold ? Severity.Critical : Severity.Warning;
                String who = g.owner == null ? "a process that could not be identified" : ScanView.describe(g.owner);
                String message =
                        g.count + " ESTABLISHED connection" + (g.count == 1 ? "" : "s") + " of " + who + " to " + g.peer
                                + " retransmitted up to " + g.worst + " times in a row with nothing acknowledged"
                                + (g.silent == null ? "" : " for " + Durations.human(g.silent)) + " (" + g.unsent
                                + " bytes waiting): the peer or the path to it has gone silent. "
                                + (retries2 < 0
                                        ? "The kernel gives up after net.ipv4.tcp_retries2 timeouts."
                                        : "With tcp_retries2 = " + retries2
                                                + " in this namespace the kernel gives up only after " + retries2
                                                + " timeouts" + (retries2 >= 15 ? " (about 15 minutes)" : "") + ".")
                                + " Until then reads and writes on it hang.";
                String next = "Find out why " + g.peer
                        + " stopped answering (gone, firewalled, a NAT or load balancer that dropped"
                        + " an idle flow). Let " + (g.owner == null ? "the application" : g.owner.comm())
                        + " give up sooner:"
                        + " TCP_USER_TIMEOUT on its sockets, or a lower net.ipv4.tcp_retries2 in its namespace (8 is about 100 s);"
                        + " for idle connections, keepalive shorter than the middlebox's idle timeout.";
                // The time since the last acknowledgement is the kernel's own figure: a lower bound, like its idle
                // time.
                findings.add(ScanView.findingAged(
                        FindingType.StalledConnection,
                        severity,
                        g.count,
                        g.port,
                        TcpState.ESTABLISHED,
                        g.owner,
                        ns.namespace(),
                        g.silent == null ? null : new Age(g.silent, AgeBasis.kernelIdle),
                        message,
                        next));
            }
        }
        return findings;
    }

    private static final class Stall {
        final ProcessInfo owner;
        final String peer;
        final int port;
        long count;
        long unsent;
        int worst;
        /** The longest time since an acknowledgement (tcp_info), null when the kernel gave none. */
        java.time.Duration silent;

        Stall(ProcessInfo owner, String peer, int port) {
            this.owner = owner;
            this.peer = peer;
            this.port = port;
        }

        void add(TcpSocket s) {
            count++;
            unsent += s.sendQueue();
            worst = Math.max(worst, s.retransmits());
            if (s.tcpInfo() != null) {
                silent = ScanView.older(
                        silent, java.time.Duration.ofMillis(s.tcpInfo().lastAckRecvMillis()));
            }
        }
    }
}
