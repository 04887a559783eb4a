package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Remembers when each socket was first seen in its current state, and each zombie, across scans,
 * so findings can say "in CLOSE_WAIT for 42m". The kernel keeps no such time. Only states that
 * findings age are tracked; entries not seen in the latest scan are dropped.
 *
 * <p>A socket is known by its namespace, state, 4-tuple, inode and cookie (0 when the source has
 * none): a new connection reusing the same 4-tuple gets a new inode or cookie.
 */
public final class SocketAges implements Ages {
    private static final Set<TcpState> TRACKED = EnumSet.of(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2,
            TcpState.LAST_ACK, TcpState.CLOSING, TcpState.ESTABLISHED);

    private record SocketKey(long netns, TcpState state, InetAddress local, int localPort, InetAddress remote,
            int remotePort, long inode, long cookie) {
        static SocketKey of(long netns, TcpSocket s) {
            return new SocketKey(netns, s.state(), s.local(), s.localPort(), s.remote(), s.remotePort(), s.inode(), s.cookie());
        }
    }

    private record ZombieKey(int pid, long startTicks) {
    }

    private Map<SocketKey, Instant> sockets = new HashMap<>();
    private Map<ZombieKey, Instant> zombies = new HashMap<>();
    private Instant now;

    /** Takes in a new scan; ages are then measured at that scan's time. */
    public void observe(NodeScan scan) {
        Instant t = scan.time();
        Map<SocketKey, Instant> nextSockets = new HashMap<>();
        for (NamespaceScan ns : scan.namespaces()) {
            long inode = ns.namespace().inode();
            for (TcpSocket s : ns.sockets()) {
                if (!isTracked(s)) {
                    continue;
                }
                SocketKey key = SocketKey.of(inode, s);
                nextSockets.put(key, sockets.getOrDefault(key, t));
            }
        }
        Map<ZombieKey, Instant> nextZombies = new HashMap<>();
        for (ProcessInfo p : scan.processes().values()) {
            if (p.isZombie()) {
                ZombieKey key = new ZombieKey(p.pid(), p.startTicks());
                nextZombies.put(key, zombies.getOrDefault(key, t));
            }
        }
        sockets = nextSockets;
        zombies = nextZombies;
        now = t;
    }

    /** ESTABLISHED sockets are aged only while they hold unread data (a stalled reader). */
    private static boolean isTracked(TcpSocket s) {
        return TRACKED.contains(s.state()) && (s.state() != TcpState.ESTABLISHED || s.recvQueue() > 0);
    }

    @Override
    public Duration socketAge(NetNamespace namespace, TcpSocket socket) {
        return since(sockets.get(SocketKey.of(namespace.inode(), socket)));
    }

    @Override
    public Duration zombieAge(ProcessInfo process) {
        return since(zombies.get(new ZombieKey(process.pid(), process.startTicks())));
    }

    /** Unknown (null) for what the latest scan saw first: it may have been there for hours. */
    private Duration since(Instant firstSeen) {
        return firstSeen == null || firstSeen.equals(now) ? null : Duration.between(firstSeen, now);
    }

    /** How many sockets are being tracked (for memory accounting). */
    public int trackedSockets() {
        return sockets.size();
    }
}
