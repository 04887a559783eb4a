package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.NetLimits;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.TcpCounter;
import io.tcphealth.agent.scan.Destination;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.Endpoints;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Connections from one namespace to one destination using up that namespace's
 * {@code ip_local_port_range} (see {@link Destination}). TIME_WAIT sockets count: each keeps its
 * port for 60 s after the close, so a client that opens a connection per request runs out first.
 * A namespace whose {@code tcp_max_tw_buckets} overflowed is told as well: past that limit closing
 * sockets skip TIME_WAIT altogether (the kernel logs "TCP: time wait bucket table overflow").
 */
final class EphemeralPortDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        ConnectionThresholds t = settings.thresholds().connections();
        List<Finding> findings = new ArrayList<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            long pool = Destination.poolSize(ns.limits());
            long twOverflow = ns.counters() == null ? 0 : ns.counters().rise(TcpCounter.TIME_WAIT_OVERFLOW);
            Map<Destination, Usage> usage = new HashMap<>();
            for (TcpSocket s : ns.sockets()) {
                if (Destination.usesPool(s, ns.limits())) {
                    usage.computeIfAbsent(Destination.of(s), d -> new Usage()).add(s, view.owner(s));
                }
            }
            for (Map.Entry<Destination, Usage> e : usage.entrySet()) {
                Usage u = e.getValue();
                double ratio = (double) u.count / pool;
                if (ratio < t.ephemeralPortRatioWarning()) {
                    continue;
                }
                Severity severity = ratio >= t.ephemeralPortRatioCritical() ? Severity.Critical : Severity.Warning;
                Destination d = e.getKey();
                ProcessInfo owner = u.topOwner();
                String target = Endpoints.format(d.remote(), d.remotePort());
                String message = String.format(
                        Locale.ROOT,
                        "%d of the %d local ports of %s (%s) are taken by connections to %s"
                                + " (%s), %.0f%%%s. When none is left, connect() to it fails with EADDRNOTAVAIL (\"cannot assign requested"
                                + " address\").%s",
                        u.count,
                        pool,
                        ns.namespace().label(),
                        rangeText(ns.limits()),
                        target,
                        u.statesText(),
                        ratio * 100,
                        owner == null ? "" : ", most held by " + ScanView.describe(owner),
                        twNote(ns.limits(), twOverflow));
                String who = owner == null ? "the client" : owner.comm();
                String next = "Make " + who + " reuse connections to " + target
                        + " (keep-alive, a connection pool) instead of"
                        + " opening one per request: each closed connection keeps its port in TIME_WAIT for 60 s. More room:"
                        + " a wider net.ipv4.ip_local_port_range in this namespace, or more destination addresses or ports.";
                findings.add(ScanView.finding(
                        FindingType.EphemeralPortExhaustion,
                        severity,
                        u.count,
                        d.remotePort(),
                        null,
                        owner,
                        ns.namespace(),
                        null,
                        message,
                        next));
            }
            if (twOverflow > 0
                    && findings.stream().noneMatch(f -> ns.namespace().label().equals(f.netns()))) {
                String message = twOverflow + " closing socket" + (twOverflow == 1 ? "" : "s") + " in "
                        + ns.namespace().label()
                        + " skipped TIME_WAIT since the last scan because net.ipv4.tcp_max_tw_buckets"
                        + (ns.limits() == null || ns.limits().maxTwBuckets() < 0
                                ? ""
                                : " (" + ns.limits().maxTwBuckets() + ")")
                        + " was reached (TCPTimeWaitOverflow): connections are opened and closed faster than TIME_WAIT ends.";
                String next =
                        "Find the process opening short connections in that namespace and make it reuse them; raising"
                                + " tcp_max_tw_buckets only moves the limit.";
                findings.add(ScanView.finding(
                        FindingType.EphemeralPortExhaustion,
                        Severity.Info,
                        twOverflow,
                        null,
                        TcpState.TIME_WAIT,
                        null,
                        ns.namespace(),
                        null,
                        message,
                        next));
            }
        }
        return findings;
    }

    private static String rangeText(NetLimits limits) {
        return limits == null || limits.localPorts() < 0
                ? "ip_local_port_range unknown, 32768-60999 assumed"
                : "ip_local_port_range " + limits.localPortLow() + "-" + limits.localPortHigh();
    }

    private static String twNote(NetLimits limits, long overflow) {
        return overflow == 0
                ? ""
                : " " + overflow + " closing sockets also skipped TIME_WAIT since the last scan:"
                        + " tcp_max_tw_buckets"
                        + (limits == null || limits.maxTwBuckets() < 0 ? "" : " (" + limits.maxTwBuckets() + ")")
                        + " is reached.";
    }

    /** The pool sockets of one destination: by state and by owner. */
    private static final class Usage {
        long count;
        final Map<TcpState, Long> states = new EnumMap<>(TcpState.class);
        final Map<Integer, Long> byOwner = new HashMap<>();
        final Map<Integer, ProcessInfo> owners = new HashMap<>();

        void add(TcpSocket s, ProcessInfo owner) {
            count++;
            states.merge(s.state(), 1L, Long::sum);
            if (owner != null) {
                byOwner.merge(owner.pid(), 1L, Long::sum);
                owners.putIfAbsent(owner.pid(), owner);
            }
        }

        ProcessInfo topOwner() {
            // The most sockets; on a tie the lowest pid, so the answer does not depend on map order.
            Integer best = null;
            for (Map.Entry<Integer, Long> e : byOwner.entrySet()) {
                if (best == null
                        || e.getValue() > byOwner.get(best)
                        || (e.getValue().equals(byOwner.get(best)) && e.getKey() < best)) {
                    best = e.getKey();
                }
            }
            return best == null ? null : owners.get(best);
        }

        String statesText() {
            StringJoiner j = new StringJoiner(", ");
            states.forEach((s, n) -> j.add(n + " " + s.name()));
            return j.toString();
        }
    }
}
