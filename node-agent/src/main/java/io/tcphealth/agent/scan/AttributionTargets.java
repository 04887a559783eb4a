package io.tcphealth.agent.scan;

import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which sockets a scan names the owners of: those a finding may be about (on a port of interest, unread data, a
 * zero window, retransmits, any state but the passing ones, a crowded destination) and a few samples of each
 * service's connections idle without keepalive. Walking {@code /proc/*}{@code /fd} costs in proportion to what
 * is looked for, so nothing else is.
 */
final class AttributionTargets {
    private AttributionTargets() {}

    /**
     * Owners looked up per service (a listener's port, or a destination) among its connections idle without
     * keepalive: a busy node may have 100k of them, and looking up every owner would cost more memory than the
     * whole scan. A few name who holds them.
     */
    static final int IDLE_OWNER_SAMPLES = 4;
    /** Services per namespace whose idle connections get owners looked up, however many there are. */
    static final int IDLE_OWNER_SAMPLES_PER_NAMESPACE = 100;
    /** Every socket inode the scans saw, sorted; 0 (no file refers to the socket) left out. */
    static long[] listedInodes(List<NamespaceScan> scans) {
        int total = 0;
        for (NamespaceScan ns : scans) {
            total += ns.sockets().size();
        }
        long[] inodes = new long[total];
        int n = 0;
        for (NamespaceScan ns : scans) {
            for (TcpSocket s : ns.sockets()) {
                if (s.inode() != 0) {
                    inodes[n++] = s.inode();
                }
            }
        }
        long[] out = Arrays.copyOf(inodes, n);
        Arrays.sort(out);
        return out;
    }

    /** The uids that created the wanted sockets: whose processes a read of the whole node looks at first. */
    static Set<Integer> creatorUids(List<NamespaceScan> scans, Set<Long> wanted) {
        Set<Integer> uids = new HashSet<>();
        for (NamespaceScan ns : scans) {
            for (TcpSocket s : ns.sockets()) {
                if (wanted.contains(s.inode())) {
                    uids.add(s.uid());
                }
            }
        }
        return uids;
    }

    /** The cgroup ids (cgroup v2) that created the wanted sockets, where the kernel says. */
    static Set<Long> creatorCgroups(List<NamespaceScan> scans, Set<Long> wanted) {
        Set<Long> ids = new HashSet<>();
        for (NamespaceScan ns : scans) {
            for (TcpSocket s : ns.sockets()) {
                if (s.cgroupId() != 0 && wanted.contains(s.inode())) {
                    ids.add(s.cgroupId());
                }
            }
        }
        return ids;
    }

    static Set<Long> inodesWorthAttributing(
            List<NamespaceScan> scans, Set<Integer> portsOfInterest, long idleWithoutKeepaliveMillis) {
        Set<Long> wanted = new HashSet<>();
        for (NamespaceScan ns : scans) {
            Set<Destination> crowded = Destination.crowded(ns);
            Set<Integer> listening = null;
            Map<String, Integer> idleSampled = new HashMap<>();
            for (TcpSocket s : ns.sockets()) {
                if (s.inode() == 0) {
                    continue;
                }
                if (isWorthAttributing(s, portsOfInterest) || crowded.contains(Destination.of(s))) {
                    wanted.add(s.inode());
                } else if (idleSampled.size() < IDLE_OWNER_SAMPLES_PER_NAMESPACE
                        && s.isIdleWithoutKeepalive(idleWithoutKeepaliveMillis)) {
                    if (listening == null) {
                        listening = listeningPorts(ns);
                    }
                    String service =
                            listening.contains(s.localPort()) ? String.valueOf(s.localPort()) : s.remoteEndpoint();
                    if (idleSampled.merge(service, 1, Integer::sum) <= IDLE_OWNER_SAMPLES) {
                        wanted.add(s.inode());
                    }
                }
            }
        }
        return wanted;
    }

    private static Set<Integer> listeningPorts(NamespaceScan ns) {
        Set<Integer> ports = new HashSet<>();
        for (TcpSocket s : ns.sockets()) {
            if (s.state() == TcpState.LISTEN) {
                ports.add(s.localPort());
            }
        }
        return ports;
    }

    private static boolean isWorthAttributing(TcpSocket s, Set<Integer> portsOfInterest) {
        if (portsOfInterest.contains(s.localPort())) {
            return true;
        }
        return switch (s.state()) {
            // Unread data, a peer that advertises a zero window, or segments going unacknowledged.
            case ESTABLISHED -> s.recvQueue() > 0 || s.timer() == TimerKind.PERSIST || s.retransmits() > 0;
            case TIME_WAIT, NEW_SYN_RECV, SYN_RECV -> false;
            default -> true;
        };
    }
}
