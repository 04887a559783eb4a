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
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Who holds each port asked about, and whether a new listener could bind it.
 *
 * <p>Every socket bound to a port keeps the port's bind bucket, orphans included. A listener
 * blocks any other listener. Other sockets block a new listener unless it sets SO_REUSEADDR;
 * TIME_WAIT sockets do not block one that does. So a service that restarts without SO_REUSEADDR
 * cannot bind while CLOSE_WAIT or FIN_WAIT1 sockets linger on its port: the field report's case.
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
                findings.add(ScanView.finding(FindingType.PortOccupied, Severity.Info, 0, port, null, null,
                        host == null ? null : host.namespace(), null,
                        "Port " + port + " is free: no TCP socket uses it in any namespace scanned.",
                        "A listener can bind it."));
            }
        }
        return findings;
    }

    private static Finding occupancy(ScanView view, NamespaceScan ns, int port) {
        Map<TcpState, Long> states = new EnumMap<>(TcpState.class);
        Map<Integer, ProcessInfo> owners = new TreeMap<>();
        ProcessInfo listenerOwner = null;
        long total = 0;
        for (TcpSocket s : ns.sockets()) {
            if (s.localPort() != port) {
                continue;
            }
            total++;
            states.merge(s.state(), 1L, Long::sum);
            ProcessInfo owner = view.owner(s);
            if (owner != null) {
                owners.putIfAbsent(owner.pid(), owner);
                if (s.state() == TcpState.LISTEN && listenerOwner == null) {
                    listenerOwner = owner;
                }
            }
        }
        if (total == 0) {
            return null;
        }
        boolean listening = states.containsKey(TcpState.LISTEN);
        boolean stuck = states.keySet().stream().anyMatch(STUCK::contains);
        boolean onlyTimeWait = states.keySet().stream().allMatch(s -> s == TcpState.TIME_WAIT || s == TcpState.NEW_SYN_RECV);

        String bind;
        Severity severity;
        if (listening) {
            bind = "A new listener cannot bind it: " + (listenerOwner == null ? "a process" : ScanView.describe(listenerOwner))
                    + " listens on it.";
            severity = stuck ? Severity.Warning : Severity.Info;
        } else if (onlyTimeWait) {
            bind = "Only TIME_WAIT sockets remain: a listener with SO_REUSEADDR can bind now; they expire within 60 s.";
            severity = Severity.Info;
        } else {
            bind = "Nothing listens, yet a new listener can bind only with SO_REUSEADDR: these sockets keep the port.";
            severity = stuck ? Severity.Critical : Severity.Warning;
        }
        String holders = owners.isEmpty()
                ? (states.keySet().stream().allMatch(s -> s == TcpState.TIME_WAIT) ? "held by no process"
                        : "held by no identifiable process (orphans, or owners that could not be read)")
                : "held by " + owners.values().stream().map(ScanView::describe).collect(Collectors.joining(", "));
        String message = "Port " + port + " in " + ns.namespace().label() + ": " + stateList(states) + ", " + holders + ". " + bind;
        String next;
        if (stuck) {
            next = "Stuck sockets hold the port: CLOSE_WAIT ends only when its owner closes it (restart "
                    + (owners.isEmpty() ? "the owner" : owners.values().iterator().next().comm())
                    + "), FIN_WAIT1 orphans when the peer reads or they are killed (ss -K 'sport = :" + port + "').";
        } else if (listening) {
            next = "Nothing is wrong with the port itself; stop that process first if another must bind it.";
        } else {
            next = onlyTimeWait ? "Set SO_REUSEADDR in the service that binds the port." : "Set SO_REUSEADDR in the service, or end the sockets' owners.";
        }
        ProcessInfo main = listenerOwner != null ? listenerOwner : owners.values().stream().findFirst().orElse(null);
        TcpState dominant = states.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        return ScanView.finding(FindingType.PortOccupied, severity, total, port, dominant, main, ns.namespace(), null, message, next);
    }

    /** "3 CLOSE_WAIT, 2 FIN_WAIT1, 1 LISTEN", largest first. */
    static String stateList(Map<TcpState, Long> states) {
        return states.entrySet().stream()
                .sorted(Map.Entry.<TcpState, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + e.getKey().name())
                .collect(Collectors.joining(", "));
    }
}
