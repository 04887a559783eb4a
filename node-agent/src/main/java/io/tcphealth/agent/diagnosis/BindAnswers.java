package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The answer to {@code diagnose --bind}: what bind() would do for that listener, in each namespace scanned. Pure. */
public final class BindAnswers {
    /** The most sockets an answer lists; the rest are counted. */
    static final int LISTED = 5;

    private BindAnswers() {}

    /** One answer per namespace that has sockets on the port, and always one for the host's. */
    public static List<BindAnswer> of(NodeScan scan, BindRequest request) {
        List<BindAnswer> out = new ArrayList<>();
        for (NamespaceScan ns : scan.namespaces()) {
            List<BindRules.Existing> onPort = onPort(scan, ns, request.port());
            if (onPort.isEmpty() && !ns.namespace().host()) {
                continue;
            }
            BindRules.Verdict v = BindRules.judge(request.candidate(), onPort);
            out.add(new BindAnswer(
                    ns.namespace().label(),
                    addressText(request),
                    v.candidate().family(),
                    v.candidate().options().text(),
                    switch (v.outcome()) {
                        case BINDS -> BindAnswer.Verdict.binds;
                        case EADDRINUSE -> BindAnswer.Verdict.addressInUse;
                        case UNKNOWN -> BindAnswer.Verdict.unknown;
                    },
                    reason(v, request.port()),
                    v.blocking().stream().map(s -> describe(scan, s)).toList(),
                    List.copyOf(new TreeSet<>(v.unknowns()))));
        }
        return out;
    }

    static List<BindRules.Existing> onPort(NodeScan scan, NamespaceScan ns, int port) {
        List<BindRules.Existing> out = new ArrayList<>();
        for (TcpSocket s : ns.sockets()) {
            if (s.localPort() == port) {
                out.add(BindRules.Existing.of(
                        s, scan.bindFacts(), ns.namespace().inode()));
            }
        }
        return out;
    }

    /** The worst verdict: any namespace where bind() fails, else any where it cannot be told. */
    public static BindAnswer.Verdict worst(List<BindAnswer> answers) {
        BindAnswer.Verdict worst = BindAnswer.Verdict.binds;
        for (BindAnswer a : answers) {
            if (a.verdict() == BindAnswer.Verdict.addressInUse) {
                return a.verdict();
            }
            if (a.verdict() == BindAnswer.Verdict.unknown) {
                worst = a.verdict();
            }
        }
        return worst;
    }

    private static String addressText(BindRequest r) {
        return r.address().isAnyLocalAddress()
                ? (r.address() instanceof java.net.Inet6Address ? "[::]:" : "0.0.0.0:") + r.port()
                : io.tcphealth.agent.socket.Endpoints.format(r.address(), r.port());
    }

    /** "on 0.0.0.0:9080 (IPv4) with SO_REUSEADDR binds: ...", the verdict in words. */
    static String reason(BindRules.Verdict v, int port) {
        String what = "on " + v.candidate().text(port) + " with "
                + v.candidate().options().text();
        return what
                + switch (v.outcome()) {
                    case BINDS ->
                        v.overlapping().isEmpty()
                                ? " binds: no socket there overlaps it"
                                : v.overlapping().size() == 1
                                        ? " binds: the socket there does not stand in the way, by its own options"
                                        : " binds: none of the "
                                                + v.overlapping().size()
                                                + " sockets there stands in the way, by their own options";
                    case EADDRINUSE ->
                        " cannot bind (EADDRINUSE): " + v.blocking().size() + " socket"
                                + (v.blocking().size() == 1 ? "" : "s") + " there stand"
                                + (v.blocking().size() == 1 ? "s" : "") + " in the way ("
                                + listed(v.blocking().stream()
                                        .map(s -> BindRules.Existing.unread(s).text())
                                        .toList())
                                + ")";
                    case UNKNOWN ->
                        " cannot be told: no socket there is known to stand in the way, but the kernel does not show "
                                + listed(List.copyOf(new TreeSet<>(v.unknowns())));
                };
    }

    static String listed(List<String> items) {
        String shown = String.join("; ", items.subList(0, Math.min(LISTED, items.size())));
        return items.size() > LISTED ? shown + "; and " + (items.size() - LISTED) + " more" : shown;
    }

    private static String describe(NodeScan scan, TcpSocket s) {
        StringBuilder b = new StringBuilder(BindRules.Existing.unread(s).text());
        List<String> who = new ArrayList<>();
        for (SocketOwner o : scan.ownersOf(s.inode())) {
            ProcessInfo p = scan.processes().get(o.pid());
            String name = "pid " + o.pid() + (p == null ? "" : " " + p.comm());
            if (!who.contains(name)) {
                who.add(name);
            }
        }
        if (!who.isEmpty()) {
            b.append(" (").append(String.join(", ", who)).append(')');
        }
        b.append(" uid ").append(s.uid());
        return b.toString();
    }
}
