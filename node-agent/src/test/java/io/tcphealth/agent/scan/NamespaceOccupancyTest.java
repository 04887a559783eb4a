package io.tcphealth.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a namespace can be left undumped, and what the owner cache is told was listed. */
class NamespaceOccupancyTest {

    @Test
    void onlyANamespaceWithoutSocketsOrTimeWaitIsLeftUndumped() {
        assertThat(NodeScanner.hasNoSockets(new SockStat(0, 12, 0, 90_000, 3))).isTrue();
        assertThat(NodeScanner.hasNoSockets(new SockStat(1, 0, 0, 1, 0)))
                .as("a listener")
                .isFalse();
        assertThat(NodeScanner.hasNoSockets(new SockStat(0, 0, 4, 4, 0)))
                .as("TIME_WAIT only")
                .isFalse();
        assertThat(NodeScanner.hasNoSockets(null)).as("sockstat unreadable").isFalse();
    }

    @Test
    void readsTheIpv6InUseCount() {
        String text = "TCP6: inuse 3\nUDP6: inuse 1\nUDPLITE6: inuse 0\nRAW6: inuse 0\nFRAG6: inuse 0 memory 0\n";
        assertThat(NodeScanner.tcp6InUse(text)).isEqualTo(3);
        assertThat(NodeScanner.tcp6InUse("TCP6: inuse 0\n")).isZero();
        assertThat(NodeScanner.tcp6InUse("UDP6: inuse 4\n")).as("no TCP6 line").isEqualTo(-1);
        assertThat(NodeScanner.tcp6InUse("TCP6: inuse x\n")).as("not a number").isEqualTo(-1);
        assertThat(NodeScanner.tcp6InUse("")).isEqualTo(-1);
    }

    @Test
    void listedInodesAreSortedWithoutTheZeroOfOrphans() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        NetNamespace a = new NetNamespace(1, Path.of("/proc/1/ns/net"), true, List.of());
        NetNamespace b = new NetNamespace(2, Path.of("/proc/2/ns/net"), false, List.of());
        List<NamespaceScan> scans = List.of(
                new NamespaceScan(a, List.of(socket(lo, 900), socket(lo, 0), socket(lo, 12)), null, null),
                new NamespaceScan(b, List.of(socket(lo, 500)), null, null));
        assertThat(AttributionTargets.listedInodes(scans)).containsExactly(12, 500, 900);
    }

    private static TcpSocket socket(InetAddress lo, long inode) {
        return new TcpSocket(TcpState.CLOSE_WAIT, lo, 8080, lo, 40000, 0, 0, TimerKind.NONE, 0, 0, 0, inode, 0);
    }
}
