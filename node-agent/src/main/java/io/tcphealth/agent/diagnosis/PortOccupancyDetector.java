package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who holds each port asked about, and whether a new listener could bind it.
 *
 * <p>Every socket bound to a port keeps the port's bind bucket, orphans and sockets that are only
 * bound included. Whether a new listener could bind is decided by {@link BindRules}, for the
 * wildcard addresses of both families and each specific address already on the port, and says which
 * address and family it speaks of. A service that restarts without SO_REUSEADDR cannot bind while
 * CLOSE_WAIT or FIN_WAIT1 sockets linger on its port: the field report's case.
 */
final class PortOccupancyDetector implements Detector {
    private static final Set<TcpState> STUCK =
            EnumSet.of(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1, TcpState.LAST_ACK, TcpState.CLOSING);

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        List<Finding> findings = new ArrayList<>();
        for (int port : settings.ports()) {
            boolean seen = false;
            for (NamespaceScan ns : view.scan().namespaces()) {
                Finding f = occupancy(view, ns, port);
                if (f != null) {
                    findings.add(f);
                    seen = true;
                }
            }
            if (!seen) {
                NamespaceScan host = view.scan().host().orElse(null);
                findings.add(ScanView.finding(
                        FindingType.PortOccupied,
                        Severity.Info,
                        0,
                        port,
                        null,
                        null,
                        host == null ? null : host.namespace(),
                        null,
                        "Port " + port + " is free: no TCP socket uses it in any namespace scanned.",
                        "A listener can bind it."));
            }
        }
        return findings;
    }

    private static Finding occupancy(ScanView view, NamespaceScan ns, int port) {
        Map<TcpState, Long> states = new EnumMap<>(TcpState.class);
        SocketGroup holders = new SocketGroup(null);
        List<TcpSocket> onPort = new ArrayList<>();
        ProcessInfo listenerOwner = null;
        for (TcpSocket s : ns.sockets()) {
            if (s.localPort() != port) {
                continue;
            }
            onPort.add(s);
            states.merge(s.state(), 1L, Long::sum);
            List<ProcessInfo> holding = view.holders(s);
            holders.add(s, port, null, holding);
            if (s.state() == TcpState.LISTEN && listenerOwner == null && !holding.isEmpty()) {
                listenerOwner = holding.getFirst();
            }
        }
        if (onPort.isEmpty()) {
            return null;
        }
        boolean stuck = states.keySet().stream().anyMatch(STUCK::contains);
        boolean onlyTimeWait =
                states.keySet().stream().allMatch(s -> s == TcpState.TIME_WAIT || s == TcpState.NEW_SYN_RECV);

        List<BindRules.Verdict> verdicts = new ArrayList<>();
        for (BindRules.Candidate c : candidates(onPort)) {
            verdicts.add(BindRules.verdict(c, onPort));
        }
        BindRules.Outcome wildcard = verdicts.getFirst().outcome();
        Severity severity = switch (wildcard) {
            case LISTENER_BLOCKS -> stuck ? Severity.Warning : Severity.Info;
            case NEEDS_REUSEADDR_ON_BOTH_SIDES ->
                stuck ? Severity.Critical : onlyTimeWait ? Severity.Info : Severity.Warning;
            case BINDS -> Severity.Info;
        };
        String held = holders.holdersText();
        String heldText = held == null
                ? (states.keySet().stream().allMatch(s -> s == TcpState.TIME_WAIT)
                        ? "held by no process"
                        : "held by no identifiable process (orphans, or owners that could not be read)")
                : "held by " + held;
        String message = "Port " + port + " in " + ns.namespace().label() + ": " + stateList(states) + ", " + heldText
                + "." + holders.sharedText() + " A new listener " + bindText(verdicts, port, listenerOwner);
        String next = nextStep(ns, port, states, holders, onPort, wildcard, onlyTimeWait);
        ProcessInfo main = listenerOwner != null
                ? listenerOwner
                : holders.owner == null ? firstHolder(view, onPort) : holders.owner;
        TcpState dominant = states.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(null);
        return ScanView.finding(
                        FindingType.PortOccupied,
                        severity,
                        onPort.size(),
                        port,
                        dominant,
                        main,
                        ns.namespace(),
                        null,
                        message,
                        next)
                .withHolders(holders.holders());
    }

    private static ProcessInfo firstHolder(ScanView view, List<TcpSocket> sockets) {
        for (TcpSocket s : sockets) {
            List<ProcessInfo> h = view.holders(s);
            if (!h.isEmpty()) {
                return h.getFirst();
            }
        }
        return null;
    }

    /**
     * The addresses a new listener would most likely take: the IPv4 wildcard first (what decides the
     * severity), the IPv6 wildcard dual-stack and v6-only, then each specific address already on the
     * port (at most three).
     */
    static List<BindRules.Candidate> candidates(List<TcpSocket> onPort) {
        List<BindRules.Candidate> out = new ArrayList<>();
        out.add(new BindRules.Candidate(ANY_V4, false));
        out.add(new BindRules.Candidate(ANY_V6, false));
        out.add(new BindRules.Candidate(ANY_V6, true));
        Set<java.net.InetAddress> specific = new java.util.LinkedHashSet<>();
        for (TcpSocket s : onPort) {
            if (!s.local().isAnyLocalAddress()) {
                specific.add(s.local());
            }
        }
        specific.stream()
                .limit(3)
                .forEach(a -> out.add(new BindRules.Candidate(a, a instanceof java.net.Inet6Address)));
        return out;
    }

    private static final java.net.InetAddress ANY_V4 = java.net.InetAddress.ofLiteral("0.0.0.0");
    private static final java.net.InetAddress ANY_V6 = java.net.InetAddress.ofLiteral("::");

    /** "on 0.0.0.0:9080 (IPv4) cannot bind: ...; on [::]:9080 (IPv6 only) binds.", candidates with one outcome together. */
    static String bindText(List<BindRules.Verdict> verdicts, int port, ProcessInfo listenerOwner) {
        Map<BindRules.Outcome, List<BindRules.Verdict>> byOutcome = new java.util.LinkedHashMap<>();
        for (BindRules.Verdict v : verdicts) {
            byOutcome.computeIfAbsent(v.outcome(), k -> new ArrayList<>()).add(v);
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<BindRules.Outcome, List<BindRules.Verdict>> e : byOutcome.entrySet()) {
            String where = "on "
                    + e.getValue().stream().map(v -> v.candidate().text(port)).collect(Collectors.joining(", "));
            long n = e.getValue().stream()
                    .mapToLong(v -> v.overlapping().size())
                    .max()
                    .orElse(0);
            parts.add(where
                    + switch (e.getKey()) {
                        case BINDS -> " can bind: no socket there overlaps it";
                        case LISTENER_BLOCKS ->
                            " cannot bind (EADDRINUSE): "
                                    + (listenerOwner == null ? "a process" : ScanView.describe(listenerOwner))
                                    + " listens on the port";
                        case NEEDS_REUSEADDR_ON_BOTH_SIDES ->
                            " cannot bind without SO_REUSEADDR (EADDRINUSE: " + n + " socket"
                                    + (n == 1 ? "" : "s")
                                    + " there, none listening); with SO_REUSEADDR it binds only if each of them had"
                                    + " SO_REUSEADDR too (accepted connections and their TIME_WAIT inherit it from their listener), which"
                                    + " the kernel does not report, so this cannot be told from here";
                    });
        }
        return String.join("; ", parts) + ".";
    }

    private static String nextStep(
            NamespaceScan ns,
            int port,
            Map<TcpState, Long> states,
            SocketGroup holders,
            List<TcpSocket> onPort,
            BindRules.Outcome wildcard,
            boolean onlyTimeWait) {
        List<String> steps = new ArrayList<>();
        if (states.containsKey(TcpState.CLOSE_WAIT)) {
            String who = holders.holderPids().isEmpty() ? "its owner" : holders.holderPids();
            steps.add("CLOSE_WAIT ends when its holder closes it ("
                    + (holders.hasSharedSockets() ? "every holder of a shared socket: " + who : who)
                    + "), or destroy exactly those: "
                    + SsKillCommand.of(ns.namespace(), TcpState.CLOSE_WAIT, port, onPort));
        }
        for (TcpState st : List.of(TcpState.FIN_WAIT1, TcpState.LAST_ACK, TcpState.CLOSING)) {
            if (states.containsKey(st)) {
                steps.add(st.name()
                        + " sockets go when the peer answers or their retries run out, or destroy exactly those: "
                        + SsKillCommand.of(ns.namespace(), st, port, onPort));
            }
        }
        if (!steps.isEmpty()) {
            return String.join("; ", steps) + ".";
        }
        return switch (wildcard) {
            case LISTENER_BLOCKS ->
                "Nothing is wrong with the port itself; stop that process first if another must bind it.";
            case NEEDS_REUSEADDR_ON_BOTH_SIDES ->
                onlyTimeWait
                        ? "Let the new listener set SO_REUSEADDR (it then binds if the old one had it too), or wait: TIME_WAIT ends within 60 s."
                        : "Let the new listener set SO_REUSEADDR, or end the sockets' holders.";
            case BINDS -> "Nothing to do: a listener on the wildcard address can bind.";
        };
    }

    /** "3 CLOSE_WAIT, 2 FIN_WAIT1, 1 LISTEN", largest first. */
    static String stateList(Map<TcpState, Long> states) {
        return states.entrySet().stream()
                .sorted(Map.Entry.<TcpState, Long>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + e.getKey().name())
                .collect(Collectors.joining(", "));
    }
}
