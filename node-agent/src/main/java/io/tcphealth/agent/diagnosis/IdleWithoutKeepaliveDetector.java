package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.socket.Endpoints;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ESTABLISHED connections with nothing queued, no keepalive and a peer silent for longer than the policy allows.
 * A NAT, firewall or load balancer drops the state of a flow that stays idle past its timeout (AWS NLB and NAT
 * gateway 350 s, Azure's load balancer 4 minutes by default) and sends nothing to either end; the kernel sees a
 * healthy, quiet connection until the next write retransmits into the void or, for a server that only waits to
 * read, forever. Keepalive probes are the kernel's only way to notice, and to keep the middlebox's entry alive:
 * without SO_KEEPALIVE no keepalive timer runs ({@code idiag_timer} 0). The silence is the kernel's own figure
 * (time since data or an acknowledgement last arrived), known on the first scan: a lower bound.
 *
 * <p>A warning, never critical: a silent peer may be alive and merely idle, and nothing here can tell.
 */
final class IdleWithoutKeepaliveDetector implements Detector {
    /** Findings per namespace, the last one gathering every further service. */
    static final int MAX_GROUPS = 20;

    private static final String OTHERS = "to or from other peers";

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        Duration threshold = settings.thresholds().connections().idleWithoutKeepaliveAfter();
        List<Finding> findings = new ArrayList<>();
        for (NamespaceScan ns : view.scan().namespaces()) {
            // One finding per service: a client's connections to one peer, or a server's from its clients. The
            // scanner looks up the owners of only a few of each (AttributionTargets.IDLE_OWNER_SAMPLES in the scanner);
            // they name it.
            Map<String, Idle> groups = new LinkedHashMap<>();
            for (TcpSocket s : ns.sockets()) {
                if (!s.isIdleWithoutKeepalive(threshold.toMillis())) {
                    continue;
                }
                int service = view.servicePort(ns, s);
                String where = service == s.localPort() && service != s.remotePort()
                        ? "from clients to port " + service
                        : "to " + Endpoints.format(s.remote(), s.remotePort());
                // Bounded: connections a service cannot be told for (no listener, no client-looking port) would
                // otherwise make one group each; past MAX_GROUPS they share one.
                String key = groups.containsKey(where) || groups.size() < MAX_GROUPS ? where : OTHERS;
                int port = key == OTHERS ? 0 : service;
                groups.computeIfAbsent(key, k -> new Idle(k, port)).add(s, view.owner(s));
            }
            long keepaliveTime = ns.sysctls() == null ? -1 : ns.sysctls().keepaliveTime();
            for (Idle g : groups.values()) {
                ProcessInfo owner =
                        g.owners.isEmpty() ? null : g.owners.values().iterator().next();
                String who = owner == null
                        ? "a process that could not be identified"
                        : ScanView.describe(owner)
                                + (g.owners.size() == 1
                                        ? ""
                                        : " and " + (g.owners.size() - 1) + " other process"
                                                + (g.owners.size() == 2 ? "" : "es"));
                String app = owner == null ? "the application" : owner.comm();
                String message = g.count + " ESTABLISHED connection" + (g.count == 1 ? "" : "s") + " of " + who
                        + " " + g.where + " without keepalive, nothing queued, the peer silent for "
                        + Durations.human(g.longest) + " (at least " + Durations.human(threshold)
                        + "). A NAT, firewall or load balancer on the way forgets a flow idle past its timeout and"
                        + " tells neither end: the next write then hangs until retransmissions give up, and a"
                        + " side that only waits to read waits forever.";
                String next = "Make " + app + " set SO_KEEPALIVE on these sockets with TCP_KEEPIDLE shorter than the"
                        + " middlebox's idle timeout (TCP_KEEPINTVL and TCP_KEEPCNT for the probes), or lower"
                        + " net.ipv4.tcp_keepalive_time in its namespace"
                        + (keepaliveTime < 0 ? "" : " (now " + keepaliveTime + " s)")
                        + ", which only applies to sockets that enable keepalive; add TCP_USER_TIMEOUT so a write"
                        + " into a dead flow fails in seconds. Or let its connection pool drop connections idle"
                        + " longer than that timeout.";
                findings.add(ScanView.findingAged(
                        FindingType.IdleWithoutKeepalive,
                        Severity.Warning,
                        g.count,
                        g.port == 0 ? null : g.port,
                        TcpState.ESTABLISHED,
                        owner,
                        ns.namespace(),
                        new Age(g.longest, AgeBasis.kernelIdle),
                        message,
                        next));
            }
        }
        return findings;
    }

    private static final class Idle {
        final String where;
        final int port;
        /** The owners found, by pid (lowest first): those of the sockets the scanner looked up. */
        final Map<Integer, ProcessInfo> owners = new TreeMap<>();

        long count;
        Duration longest = Duration.ZERO;

        Idle(String where, int port) {
            this.where = where;
            this.port = port;
        }

        void add(TcpSocket s, ProcessInfo owner) {
            count++;
            longest = ScanView.older(longest, Duration.ofMillis(s.peerSilentMillis()));
            if (owner != null) {
                owners.putIfAbsent(owner.pid(), owner);
            }
        }
    }
}
