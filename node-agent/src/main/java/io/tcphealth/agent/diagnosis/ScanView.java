package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ContainerRef;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Read-only questions the detectors ask of one scan, answered the same way for all of them. */
final class ScanView {
    /**
     * The kernel's default ephemeral range ({@code net.ipv4.ip_local_port_range}). A port inside it
     * is probably the client end of a connection, so the other end names the service.
     */
    private static final int EPHEMERAL_LOW = 32768;

    private static final int EPHEMERAL_HIGH = 60999;

    private final NodeScan scan;
    private final Ages ages;
    private final Map<NamespaceScan, Set<Integer>> listening = new IdentityHashMap<>();

    ScanView(NodeScan scan, Ages ages) {
        this.scan = scan;
        this.ages = ages;
    }

    NodeScan scan() {
        return scan;
    }

    Set<Integer> listeningPorts(NamespaceScan ns) {
        return listening.computeIfAbsent(ns, n -> {
            Set<Integer> ports = new HashSet<>();
            for (TcpSocket s : n.sockets()) {
                if (s.state() == TcpState.LISTEN) {
                    ports.add(s.localPort());
                }
            }
            return ports;
        });
    }

    /**
     * The port that names the service a connection belongs to: the local port when something
     * listens on it or the remote end looks like a client, else the remote port.
     */
    int servicePort(NamespaceScan ns, TcpSocket s) {
        if (listeningPorts(ns).contains(s.localPort())) {
            return s.localPort();
        }
        boolean localEphemeral = isEphemeral(s.localPort());
        boolean remoteEphemeral = isEphemeral(s.remotePort());
        if (localEphemeral && !remoteEphemeral && s.remotePort() != 0) {
            return s.remotePort();
        }
        return s.localPort();
    }

    private static boolean isEphemeral(int port) {
        return port >= EPHEMERAL_LOW && port <= EPHEMERAL_HIGH;
    }

    /** The process holding this socket (the lowest pid when several share it), or null. */
    ProcessInfo owner(TcpSocket s) {
        List<SocketOwner> owners = scan.ownersOf(s.inode());
        ProcessInfo best = null;
        for (SocketOwner o : owners) {
            ProcessInfo p = scan.processes().get(o.pid());
            if (p != null && (best == null || p.pid() < best.pid())) {
                best = p;
            }
        }
        return best;
    }

    /**
     * Every process holding this socket, lowest pid first. A socket is shared after a fork or when
     * a descriptor is passed (SCM_RIGHTS); it is closed only when its last holder closes it.
     */
    List<ProcessInfo> holders(TcpSocket s) {
        List<SocketOwner> owners = scan.ownersOf(s.inode());
        if (owners.isEmpty()) {
            return List.of();
        }
        java.util.TreeMap<Integer, ProcessInfo> byPid = new java.util.TreeMap<>();
        for (SocketOwner o : owners) {
            ProcessInfo p = scan.processes().get(o.pid());
            if (p != null) {
                byPid.putIfAbsent(p.pid(), p);
            }
        }
        return List.copyOf(byPid.values());
    }

    Age socketAge(NamespaceScan ns, TcpSocket s) {
        return ages.socketAgeWithBasis(ns.namespace(), s);
    }

    Duration zombieAge(ProcessInfo p) {
        return ages.zombieAge(p);
    }

    /** A finding with the owner's identity filled in from the process (which may be null). */
    static Finding finding(
            FindingType type,
            Severity severity,
            long count,
            Integer port,
            TcpState state,
            ProcessInfo owner,
            NetNamespace netns,
            Duration age,
            String message,
            String nextStep) {
        return findingAged(type, severity, count, port, state, owner, netns, Age.observed(age), message, nextStep);
    }

    /** A finding whose age says where it comes from (the kernel's idle time or tcphealth's own sighting). */
    static Finding findingAged(
            FindingType type,
            Severity severity,
            long count,
            Integer port,
            TcpState state,
            ProcessInfo owner,
            NetNamespace netns,
            Age age,
            String message,
            String nextStep) {
        return findingAged(type, severity, count, port, state, owner, null, netns, age, message, nextStep);
    }

    /** As above; {@code container} is the finding's container when there is no owner (orphans: their cgroup's). */
    static Finding findingAged(
            FindingType type,
            Severity severity,
            long count,
            Integer port,
            TcpState state,
            ProcessInfo owner,
            ContainerRef container,
            NetNamespace netns,
            Age age,
            String message,
            String nextStep) {
        ContainerRef c = owner == null ? container : owner.container();
        return new Finding(
                type,
                severity,
                count,
                port,
                state == null ? null : state.name(),
                owner == null ? null : owner.pid(),
                owner == null ? null : owner.comm(),
                c == null ? null : c.containerId(),
                c == null ? null : c.podUid(),
                null,
                netns == null ? null : netns.label(),
                age == null ? null : age.duration().toSeconds(),
                age == null ? null : age.basis(),
                message,
                nextStep,
                null);
    }

    /** "java (pid 4711)", with the container when there is one. */
    static String describe(ProcessInfo p) {
        if (p == null) {
            return "an unknown process (its /proc entry could not be read)";
        }
        String who = p.comm() + " (pid " + p.pid() + ")";
        if (p.container() != null) {
            who += " in container " + p.container().shortId();
        }
        return who;
    }

    /** " for 42m", or "" when the age is unknown. */
    static String forAge(Duration age) {
        return age == null ? "" : " for " + Durations.human(age);
    }

    /** " for 42m" (observed) or ", idle for at least 42m" (the kernel's lower bound), or "". */
    static String forAge(Age age) {
        if (age == null) {
            return "";
        }
        return age.basis() == AgeBasis.kernelIdle ? ", " + age.text() : " " + age.text();
    }

    static Duration older(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}
