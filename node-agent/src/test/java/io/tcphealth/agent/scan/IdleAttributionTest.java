package io.tcphealth.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Connections idle without keepalive get a few owners looked up per service, never all of them. */
class IdleAttributionTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private static final long MINUTE = 60_000;

    private static TcpSocket connection(int localPort, int remotePort, TimerKind timer, long inode, int silentMillis) {
        return new TcpSocket(
                TcpState.ESTABLISHED,
                LO,
                localPort,
                LO,
                remotePort,
                0,
                0,
                timer,
                0,
                0,
                0,
                inode,
                inode,
                0,
                Boolean.FALSE,
                0,
                null,
                null,
                silentMillis,
                0);
    }

    @Test
    void aFewOwnersPerServicePastTheThresholdAndNoneBelowItOrWithKeepalive() {
        List<TcpSocket> sockets = new ArrayList<>();
        sockets.add(new TcpSocket(TcpState.LISTEN, LO, 5432, LO, 0, 0, 0, TimerKind.NONE, 0, 0, 0, 1, 1));
        long inode = 100;
        for (int i = 0; i < 50; i++) {
            sockets.add(connection(5432, 40000 + i, TimerKind.NONE, inode++, (int) (20 * MINUTE))); // served
            sockets.add(connection(41000 + i, 6379, TimerKind.NONE, inode++, (int) (20 * MINUTE))); // to a peer
            sockets.add(connection(42000 + i, 6380, TimerKind.NONE, inode++, (int) MINUTE)); // not idle long
            sockets.add(connection(43000 + i, 6381, TimerKind.KEEPALIVE, inode++, -1)); // keepalive
        }
        NetNamespace ns = new NetNamespace(1, Path.of("/proc/1/ns/net"), true, List.of());
        Set<Long> wanted = AttributionTargets.inodesWorthAttributing(
                List.of(new NamespaceScan(ns, sockets, null, null)), Set.of(), 10 * MINUTE);

        long served = sockets.stream()
                .filter(s -> s.localPort() == 5432 && s.state() == TcpState.ESTABLISHED)
                .filter(s -> wanted.contains(s.inode()))
                .count();
        long toPeer = sockets.stream()
                .filter(s -> s.remotePort() == 6379 && wanted.contains(s.inode()))
                .count();
        assertThat(served).isEqualTo(AttributionTargets.IDLE_OWNER_SAMPLES);
        assertThat(toPeer).isEqualTo(AttributionTargets.IDLE_OWNER_SAMPLES);
        assertThat(wanted).as("the listener, and the samples").hasSize(1 + 2 * AttributionTargets.IDLE_OWNER_SAMPLES);
    }
}
