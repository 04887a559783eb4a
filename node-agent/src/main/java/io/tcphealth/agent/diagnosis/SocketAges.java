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
 * so findings can say "in CLOSE_WAIT for 42m". The kernel keeps no time of a state change, but its
 * tcp_info says how long a connection has been idle: that lower bound stands in until what was
 * observed is longer, so the first scan has ages too. Only states that findings age are tracked;
 * entries not seen in the latest scan are dropped. With a {@link SocketAgeStore}, what was observed
 * survives a restart.
 *
 * <p>A socket is known by its namespace, state, 4-tuple, inode and cookie (0 when the source has
 * none): a new connection reusing the same 4-tuple gets a new inode or cookie.
 */
public final class SocketAges implements Ages {
    private static final Set<TcpState> TRACKED = EnumSet.of(
            TcpState.CLOSE_WAIT,
            TcpState.FIN_WAIT1,
            TcpState.FIN_WAIT2,
            TcpState.LAST_ACK,
            TcpState.CLOSING,
            TcpState.ESTABLISHED);

    private record SocketKey(
            long netns,
            TcpState state,
            InetAddress local,
            int localPort,
            InetAddress remote,
            int remotePort,
            long inode,
            long cookie) {
        static SocketKey of(long netns, TcpSocket s) {
            return new SocketKey(
                    netns, s.state(), s.local(), s.localPort(), s.remote(), s.remotePort(), s.inode(), s.cookie());
        }

        // Written out, as in NetNamespace: the generated ones bootstrap at first use, in a one-shot diagnose's time.
        @Override
        public boolean equals(Object o) {
            return o instanceof SocketKey k
                    && netns == k.netns
                    && inode == k.inode
                    && cookie == k.cookie
                    && localPort == k.localPort
                    && remotePort == k.remotePort
                    && state == k.state
                    && local.equals(k.local)
                    && remote.equals(k.remote);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(inode * 31 + cookie) * 31 + localPort * 65_537 + remotePort;
        }
    }

    private record ZombieKey(int pid, long startTicks) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ZombieKey k && pid == k.pid && startTicks == k.startTicks;
        }

        @Override
        public int hashCode() {
            return pid * 31 + Long.hashCode(startTicks);
        }
    }

    private Map<SocketKey, Instant> sockets = new HashMap<>();
    private Map<ZombieKey, Instant> zombies = new HashMap<>();
    private Instant now;
    private final SocketAgeStore store;

    /** Ages kept in memory only (one-shot diagnose, tests). */
    public SocketAges() {
        this(null);
    }

    /** Ages that start from what {@code store} kept, and are saved there after each scan. */
    public SocketAges(SocketAgeStore store) {
        this.store = store;
        if (store != null) {
            SocketAgeStore.Saved saved = store.load();
            saved.sockets()
                    .forEach(e -> sockets.put(
                            new SocketKey(
                                    e.netns(),
                                    e.state(),
                                    e.local(),
                                    e.localPort(),
                                    e.remote(),
                                    e.remotePort(),
                                    e.inode(),
                                    e.cookie()),
                            e.firstSeen()));
            saved.zombies().forEach(z -> zombies.put(new ZombieKey(z.pid(), z.startTicks()), z.firstSeen()));
        }
    }

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
        if (store != null) {
            store.save(
                    sockets.entrySet().stream()
                            .map(e -> new SocketAgeStore.SocketEntry(
                                    e.getKey().netns(),
                                    e.getKey().state(),
                                    e.getKey().local(),
                                    e.getKey().localPort(),
                                    e.getKey().remote(),
                                    e.getKey().remotePort(),
                                    e.getKey().inode(),
                                    e.getKey().cookie(),
                                    e.getValue()))
                            .toList(),
                    zombies.entrySet().stream()
                            .map(e -> new SocketAgeStore.ZombieEntry(
                                    e.getKey().pid(), e.getKey().startTicks(), e.getValue()))
                            .toList());
        }
    }

    /** ESTABLISHED sockets are aged only while they hold unread data (a stalled reader). */
    private static boolean isTracked(TcpSocket s) {
        return TRACKED.contains(s.state()) && (s.state() != TcpState.ESTABLISHED || s.recvQueue() > 0);
    }

    @Override
    public Duration socketAge(NetNamespace namespace, TcpSocket socket) {
        Age age = socketAgeWithBasis(namespace, socket);
        return age == null ? null : age.duration();
    }

    @Override
    public Age socketAgeWithBasis(NetNamespace namespace, TcpSocket socket) {
        Age observed = Age.observed(since(sockets.get(SocketKey.of(namespace.inode(), socket))));
        long idle = isTracked(socket) ? socket.kernelIdleMillis() : -1;
        Age kernel = idle > 0 ? new Age(Duration.ofMillis(idle), AgeBasis.kernelIdle) : null;
        return Age.longer(observed, kernel);
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
