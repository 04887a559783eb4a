package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.Severity;
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
                Finding f = occupancy(view, ns, port, settings);
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

    private static Finding occupancy(ScanView view, NamespaceScan ns, int port, DiagnosisSettings settings) {
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

        List<BindRules.Existing> existing = BindAnswers.onPort(view.scan(), ns, port);
        BindRequest asked = settings.bind() != null && settings.bind().port() == port ? settings.bind() : null;
        List<Summed> verdicts = new ArrayList<>();
        for (BindRules.Candidate c : asked == null ? candidates(onPort) : List.of(asked.candidate())) {
            verdicts.add(Summed.of(c, existing));
        }
        Summary wildcard = verdicts.getFirst().summary();
        Severity severity;
        String bindText;
        if (asked != null) {
            BindRules.Verdict exact = BindRules.judge(asked.candidate(), existing);
            severity = switch (exact.outcome()) {
                case BINDS -> Severity.Info;
                case EADDRINUSE -> stuck ? Severity.Critical : Severity.Warning;
                case UNKNOWN -> Severity.Warning;
            };
            bindText = BindAnswers.reason(exact, port) + ".";
        } else {
            severity = switch (wildcard) {
                case LISTENER_BLOCKS, NEEDS_REUSEADDR -> stuck ? Severity.Warning : Severity.Info;
                case SOCKETS_BLOCK -> stuck ? Severity.Critical : Severity.Warning;
                case NEEDS_REUSEADDR_ON_BOTH_SIDES ->
                    stuck ? Severity.Critical : onlyTimeWait ? Severity.Info : Severity.Warning;
                case BINDS -> Severity.Info;
            };
            bindText = bindText(verdicts, port, listenerOwner);
        }
        String held = holders.holdersText();
        String heldText = held == null
                ? (states.keySet().stream().allMatch(s -> s == TcpState.TIME_WAIT)
                        ? "held by no process"
                        : "held by no identifiable process (orphans, or owners that could not be read)")
                : "held by " + held;
        String message = "Port " + port + " in " + ns.namespace().label() + ": " + stateList(states) + ", " + heldText
                + "." + holders.sharedText() + " A new listener " + bindText;
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

    /** What a new listener meets at one address, without and with SO_REUSEADDR. */
    enum Summary {
        /** bind() succeeds without any option. */
        BINDS,
        /** It fails without SO_REUSEADDR and succeeds with it: every socket there has SO_REUSEADDR, none listens. */
        NEEDS_REUSEADDR,
        /** It fails without SO_REUSEADDR; with it, it depends on the other sockets' flag, which is not known. */
        NEEDS_REUSEADDR_ON_BOTH_SIDES,
        /** A listener stands in the way, with or without SO_REUSEADDR. */
        LISTENER_BLOCKS,
        /** Sockets without SO_REUSEADDR (read from their descriptors) stand in the way, with it or without. */
        SOCKETS_BLOCK
    }

    /**
     * One candidate's summary, with the SO_REUSEPORT group it could join: when every socket in the way has
     * SO_REUSEPORT and one user, a listener with SO_REUSEPORT running as that user binds.
     */
    record Summed(
            BindRules.Candidate candidate,
            Summary summary,
            BindRules.Verdict reuse,
            Integer reusePortUid,
            Set<String> devices) {
        static Summed of(BindRules.Candidate c, List<BindRules.Existing> existing) {
            BindRules.Verdict plain = BindRules.judge(c.with(BindRules.Options.NONE), existing);
            BindRules.Verdict reuse = BindRules.judge(c.with(BindRules.Options.REUSEADDR), existing);
            Summary summary = plain.outcome() == BindRules.Outcome.BINDS
                    ? Summary.BINDS
                    : switch (reuse.outcome()) {
                        case BINDS -> Summary.NEEDS_REUSEADDR;
                        case UNKNOWN -> Summary.NEEDS_REUSEADDR_ON_BOTH_SIDES;
                        case EADDRINUSE -> reuse.listenerBlocks() ? Summary.LISTENER_BLOCKS : Summary.SOCKETS_BLOCK;
                    };
            Integer uid = null;
            if (summary == Summary.LISTENER_BLOCKS || summary == Summary.SOCKETS_BLOCK) {
                Set<Integer> uids =
                        reuse.blocking().stream().map(TcpSocket::uid).collect(Collectors.toSet());
                if (uids.size() == 1) {
                    int u = uids.iterator().next();
                    BindRules.Verdict joined =
                            BindRules.judge(c.with(new BindRules.Options(true, true, null, u)), existing);
                    uid = joined.outcome() == BindRules.Outcome.BINDS ? u : null;
                }
            }
            // Every socket in the way bound to a device (by name): a listener on another device does not meet them.
            Set<String> devices = new java.util.TreeSet<>();
            for (BindRules.Existing e : existing) {
                if (reuse.blocking().contains(e.socket())) {
                    if (e.device() == null || e.device().isEmpty()) {
                        devices.clear();
                        break;
                    }
                    devices.add(e.device());
                }
            }
            return new Summed(c, summary, reuse, uid, reuse.blocking().isEmpty() ? Set.of() : devices);
        }
    }

    /** "on 0.0.0.0:9080 (IPv4) cannot bind: ...; on [::]:9080 (IPv6 only) binds.", candidates with one outcome together. */
    static String bindText(List<Summed> verdicts, int port, ProcessInfo listenerOwner) {
        Map<String, List<Summed>> byOutcome = new java.util.LinkedHashMap<>();
        for (Summed v : verdicts) {
            byOutcome
                    .computeIfAbsent(v.summary() + "/" + v.reusePortUid() + "/" + v.devices(), k -> new ArrayList<>())
                    .add(v);
        }
        List<String> parts = new ArrayList<>();
        for (List<Summed> group : byOutcome.values()) {
            Summed first = group.getFirst();
            String where =
                    "on " + group.stream().map(v -> v.candidate().text(port)).collect(Collectors.joining(", "));
            long n = group.stream()
                    .mapToLong(v -> v.reuse().overlapping().size())
                    .max()
                    .orElse(0);
            long blocking = group.stream()
                    .mapToLong(v -> v.reuse().blocking().size())
                    .max()
                    .orElse(0);
            String onDevice = first.devices().isEmpty()
                    ? ""
                    : " (bound to device " + String.join(", ", first.devices())
                            + ": a listener bound to another device binds)";
            String joins = first.reusePortUid() == null
                    ? onDevice
                    : " (a listener with SO_REUSEPORT running as uid " + first.reusePortUid()
                            + " joins them: each has SO_REUSEPORT, read from its descriptor)";
            parts.add(where
                    + switch (first.summary()) {
                        case BINDS -> " can bind: no socket there overlaps it";
                        case LISTENER_BLOCKS ->
                            " cannot bind (EADDRINUSE): "
                                    + (listenerOwner == null ? "a process" : ScanView.describe(listenerOwner))
                                    + " listens on the port" + joins;
                        case SOCKETS_BLOCK ->
                            " cannot bind (EADDRINUSE), with SO_REUSEADDR or without: " + blocking + " socket"
                                    + (blocking == 1 ? "" : "s") + " there lack"
                                    + (blocking == 1 ? "s" : "") + " SO_REUSEADDR (read from their descriptors)"
                                    + joins;
                        case NEEDS_REUSEADDR ->
                            " cannot bind without SO_REUSEADDR (EADDRINUSE: " + n + " socket" + (n == 1 ? "" : "s")
                                    + " there, none listening); with SO_REUSEADDR it binds: each of them has it too"
                                    + " (read from their descriptors)";
                        case NEEDS_REUSEADDR_ON_BOTH_SIDES ->
                            " cannot bind without SO_REUSEADDR (EADDRINUSE: " + n + " socket"
                                    + (n == 1 ? "" : "s")
                                    + " there, none listening); with SO_REUSEADDR it binds only if each of them had"
                                    + " SO_REUSEADDR too, which the kernel does not report for "
                                    + BindAnswers.listed(List.copyOf(new java.util.TreeSet<>(
                                            first.reuse().unknowns())))
                                    + ", so this cannot be told from here";
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
            Summary wildcard,
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
            case SOCKETS_BLOCK -> "End the sockets' holders: SO_REUSEADDR on the new listener is not enough.";
            case NEEDS_REUSEADDR -> "Let the new listener set SO_REUSEADDR: it then binds.";
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
