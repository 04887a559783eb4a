package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.Endpoints;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import io.tcphealth.api.v1alpha1.Severity;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Senders held by a receiver that stopped reading. When a receive buffer is full the receiver
 * advertises a zero window; the sender stops and probes it with the persist timer (its probe count
 * interval grows with backoff) until the window opens. When both ends live on this node (in one
 * namespace, or in two pods) the receiving socket is found by its 4-tuple and its owner named: that
 * is the process that is not reading, and how long its queue has stayed unread grades the finding.
 * A live receiver answers every probe (with a zero window), which resets the sender's count of
 * unanswered probes; a count that grows means the far end does not answer at all, so for a receiver
 * off this node that count is the threshold. While the window stays shut the sender sends no data, so
 * tcp_info's time since data was last sent is how long the stall has lasted (a kernel lower bound).
 */
final class ZeroWindowStallDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        int threshold = settings.thresholds().connections().zeroWindowProbes();
        Map<String, Receiver> receivers = receivers(view);
        Map<String, Stall> groups = new LinkedHashMap<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            for (TcpSocket s : ns.sockets()) {
                if (s.state() != TcpState.ESTABLISHED || s.timer() != TimerKind.PERSIST) {
                    continue;
                }
                Receiver r = receivers.get(key(ns.namespace(), s.remote(), s.remotePort(), s.local(), s.localPort()));
                int unanswered = s.tcpInfo() == null
                        ? s.retransmits()
                        : Math.max(s.retransmits(), s.tcpInfo().probes());
                if (r == null && unanswered < threshold) {
                    continue;
                }
                ProcessInfo sender = view.owner(s);
                ProcessInfo reader = r == null ? null : view.owner(r.socket);
                String k = r != null
                        ? "r" + (reader == null ? r.ns.label() + r.socket.localPort() : reader.pid())
                        : "s" + ns.namespace().inode() + (sender == null ? "?" : sender.pid()) + s.remoteEndpoint();
                groups.computeIfAbsent(k, x -> new Stall(ns, sender, r, reader))
                        .add(
                                s,
                                r,
                                Age.longer(
                                        r == null
                                                ? null
                                                : view.socketAge(
                                                        r.ns == ns.namespace() ? ns : find(view, r.ns), r.socket),
                                        s.tcpInfo() == null
                                                ? null
                                                : new Age(
                                                        java.time.Duration.ofMillis(
                                                                s.tcpInfo().lastDataSentMillis()),
                                                        AgeBasis.kernelIdle)));
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (Stall g : groups.values()) {
            boolean stuck = g.oldest != null
                    && g.oldest.duration().compareTo(settings.thresholds().stuckAfter()) >= 0;
            Severity severity = stuck || (g.receiver == null && g.worstProbes >= 2L * threshold)
                    ? Severity.Critical
                    : Severity.Warning;
            String senderText = g.sender == null ? "an unidentified process" : ScanView.describe(g.sender);
            String message;
            String next;
            if (g.receiver != null) {
                String readerText =
                        g.reader == null ? "a process that could not be identified" : ScanView.describe(g.reader);
                message = g.count + " connection" + (g.count == 1 ? "" : "s") + " from " + senderText + " in "
                        + g.senderNs.namespace().label()
                        + " to " + g.receiver.socket.localEndpoint() + (g.count == 1 ? " is" : " are")
                        + " held by a zero window: "
                        + readerText + " in " + g.receiver.ns.label() + " holds " + g.unread + " unread bytes"
                        + ScanView.forAge(g.oldest) + " and has stopped reading."
                        + " The sender's writes block until it reads again.";
                next = "Check what " + (g.reader == null ? "the receiver" : g.reader.comm())
                        + " is blocked on (a full downstream, a"
                        + " deadlock, a stopped consumer thread). Restarting it releases both ends; timeouts on the sender"
                        + " (TCP_USER_TIMEOUT) make it give up instead of waiting.";
            } else {
                message = g.count + " connection" + (g.count == 1 ? "" : "s") + " of " + senderText + " to " + g.peer
                        + " probed a zero window up to " + g.worstProbes + " times" + ScanView.forAge(g.oldest)
                        + " without an answer: the receiver there has stopped reading"
                        + " (its end is not on this node). The sender's writes block until it reads again.";
                next = "Look at the process behind " + g.peer
                        + " on its own host: its receive queue is full (ss -tn there shows"
                        + " Recv-Q); TCP_USER_TIMEOUT on the sender bounds the wait.";
            }
            ProcessInfo named = g.receiver != null ? g.reader : g.sender;
            NetNamespace netns = g.receiver != null ? g.receiver.ns : g.senderNs.namespace();
            int port = g.receiver != null ? g.receiver.socket.localPort() : g.port;
            findings.add(ScanView.findingAged(
                    FindingType.ZeroWindowStall,
                    severity,
                    g.count,
                    port,
                    TcpState.ESTABLISHED,
                    named,
                    netns,
                    g.oldest,
                    message,
                    next));
        }
        return findings;
    }

    /** Every ESTABLISHED socket with unread data, by 4-tuple (loopback addresses only within one namespace). */
    private static Map<String, Receiver> receivers(ScanView view) {
        Map<String, Receiver> out = new HashMap<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            for (TcpSocket s : ns.sockets()) {
                if (s.state() == TcpState.ESTABLISHED && s.recvQueue() > 0) {
                    out.put(
                            key(ns.namespace(), s.local(), s.localPort(), s.remote(), s.remotePort()),
                            new Receiver(ns.namespace(), s));
                }
            }
        }
        return out;
    }

    private static NamespaceScan find(ScanView view, NetNamespace ns) {
        return view.scan().namespaces().stream()
                .filter(n -> n.namespace().equals(ns))
                .findFirst()
                .orElseThrow();
    }

    /** Loopback and link-local addresses mean something only inside their namespace. */
    private static String key(NetNamespace ns, InetAddress local, int localPort, InetAddress remote, int remotePort) {
        String scope = local.isLoopbackAddress() || local.isLinkLocalAddress() ? ns.inode() + "|" : "";
        return scope + Endpoints.format(local, localPort) + ">" + Endpoints.format(remote, remotePort);
    }

    private record Receiver(NetNamespace ns, TcpSocket socket) {}

    private static final class Stall {
        final NamespaceScan senderNs;
        final ProcessInfo sender;
        final Receiver receiver;
        final ProcessInfo reader;
        String peer;
        int port;
        long count;
        long unread;
        int worstProbes;
        Age oldest;

        Stall(NamespaceScan senderNs, ProcessInfo sender, Receiver receiver, ProcessInfo reader) {
            this.senderNs = senderNs;
            this.sender = sender;
            this.receiver = receiver;
            this.reader = reader;
        }

        void add(TcpSocket s, Receiver r, Age age) {
            oldest = Age.longer(oldest, age);
            count++;
            peer = s.remoteEndpoint();
            port = s.remotePort();
            worstProbes = Math.max(
                    worstProbes,
                    s.tcpInfo() == null
                            ? s.retransmits()
                            : Math.max(s.retransmits(), s.tcpInfo().probes()));
            if (r != null) {
                unread += r.socket.recvQueue();
            }
        }
    }
}
