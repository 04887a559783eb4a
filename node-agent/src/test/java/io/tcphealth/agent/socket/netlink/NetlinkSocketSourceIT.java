package io.tcphealth.agent.socket.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import io.tcphealth.testsupport.TestNetns;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The netlink dump against {@code ss} in a private namespace full of known socket states: the same
 * sockets, socket for socket (state, addresses, ports, queues, inode, cookie).
 */
class NetlinkSocketSourceIT {
    private static TestNetns netns;
    private static NetNamespace target;
    private static final NamespaceExecutor EXECUTOR = new NamespaceExecutor(new Libc(), Duration.ofSeconds(30));
    private static final NetlinkSocketSource SOURCE = new NetlinkSocketSource(new Libc());

    @BeforeAll
    static void makeSockets() throws Exception {
        netns = TestNetns.create();
        try {
            target = new NetNamespace(netns.inode(), netns.path(), false, List.of());
            netns.socklab("listen", "127.0.0.1", 7001);
            netns.socklab("established", "127.0.0.1", 7002, 3);
            netns.socklab("closewait", "127.0.0.1", 7003, 4, 1000);
            netns.socklab("established", "::1", 7004, 2);
            netns.socklab("closewait", "::1", 7005, 2);
            netns.socklab("finwait1", "127.0.0.1", 7006, 2);
            netns.socklab("timewait", "127.0.0.1", 7007, 2);
        } catch (Exception | Error e) {
            netns.close();
            throw e;
        }
    }

    @AfterAll
    static void removeEverything() {
        if (netns != null) {
            netns.close();
        }
    }

    @Test
    void everySocketMatchesSs() throws Exception {
        List<TcpSocket> dumped = dump(TcpState.all());
        List<String> ss = netns.ss("-e");

        assertThat(keys(dumped))
                .containsExactlyInAnyOrderElementsOf(
                        ss.stream().map(l -> SsLine.parse(l, null).key()).toList());
        Map<String, Long> expected = new TreeMap<>(Map.of(
                "LISTEN", 5L, "ESTAB", 12L, "CLOSE-WAIT", 6L, "FIN-WAIT-2", 6L, "FIN-WAIT-1", 2L, "TIME-WAIT", 2L));
        assertThat(countByState(dumped)).isEqualTo(expected);
        Map<String, Long> ssCounts = ss.stream()
                .map(l -> SsLine.parse(l, null).state())
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
        assertThat(ssCounts).isEqualTo(expected);
        assertThat(dumped).extracting(TcpSocket::cookie).doesNotHaveDuplicates().doesNotContain(0L);
    }

    @Test
    void fieldsSayWhatEachStateMeans() throws Exception {
        List<TcpSocket> dumped = dump(TcpState.all());
        InetAddress v6Loopback = InetAddress.getByName("::1");

        assertThat(dumped)
                .filteredOn(s -> s.state() == TcpState.CLOSE_WAIT && s.localPort() == 7003)
                .hasSize(4)
                .allSatisfy(s -> {
                    assertThat(s.recvQueue()).isEqualTo(1001); // 1000 unread bytes, and the FIN
                    assertThat(s.inode()).isPositive();
                    assertThat(s.isOrphan()).isFalse();
                });
        assertThat(dumped)
                .filteredOn(s -> s.state() == TcpState.CLOSE_WAIT && s.localPort() == 7005)
                .hasSize(2)
                .allSatisfy(s -> {
                    assertThat(s.local()).isInstanceOf(Inet6Address.class).isEqualTo(v6Loopback);
                    assertThat(s.remote()).isEqualTo(v6Loopback);
                    assertThat(s.isIpv6()).isTrue();
                });
        assertThat(dumped)
                .filteredOn(s -> s.state() == TcpState.FIN_WAIT1)
                .hasSize(2)
                .allSatisfy(s -> {
                    assertThat(s.remotePort()).isEqualTo(7006);
                    assertThat(s.isOrphan()).isTrue();
                    assertThat(s.sendQueue()).isPositive();
                    assertThat(s.timer()).isEqualTo(TimerKind.PERSIST);
                });
        assertThat(dumped)
                .filteredOn(s -> s.state() == TcpState.TIME_WAIT)
                .hasSize(2)
                .allSatisfy(s -> {
                    assertThat(s.localPort()).isEqualTo(7007);
                    assertThat(s.timer()).isEqualTo(TimerKind.TIME_WAIT);
                    assertThat(s.timerExpiresMillis()).isPositive();
                });
        assertThat(dumped).filteredOn(s -> s.state() == TcpState.LISTEN).allSatisfy(s -> {
            assertThat(s.sendQueue()).isEqualTo(4096); // the backlog socklab asked for
            assertThat(s.remotePort()).isZero();
            assertThat(s.uid()).isZero();
        });
    }

    @Test
    void kernelStateFilterMatchesSsStateFilter() throws Exception {
        List<TcpSocket> closeWait = dump(EnumSet.of(TcpState.CLOSE_WAIT));
        List<String> ss = netns.ss("-e", "state", "close-wait");

        assertThat(closeWait).hasSize(6).allSatisfy(s -> assertThat(s.state()).isEqualTo(TcpState.CLOSE_WAIT));
        assertThat(keys(closeWait))
                .containsExactlyInAnyOrderElementsOf(ss.stream()
                        .map(l -> SsLine.parse(l, "CLOSE-WAIT").key())
                        .toList());

        assertThat(countByState(dump(EnumSet.of(TcpState.LISTEN, TcpState.TIME_WAIT))))
                .isEqualTo(Map.of("LISTEN", 5L, "TIME-WAIT", 2L));
        assertThat(dump(EnumSet.noneOf(TcpState.class))).isEmpty();
        assertThat(dump(EnumSet.of(TcpState.SYN_SENT))).isEmpty();
    }

    @Test
    void theCallersOwnNamespaceDoesNotSeeThem() throws Exception {
        assertThat(SOURCE.sockets(TcpState.all())).noneMatch(s -> s.localPort() >= 7001 && s.localPort() <= 7007);
    }

    private static List<TcpSocket> dump(Set<TcpState> states) throws Exception {
        return EXECUTOR.call(target, () -> SOURCE.sockets(states));
    }

    private static List<String> keys(List<TcpSocket> sockets) {
        return sockets.stream().map(SsLine::keyOf).toList();
    }

    private static Map<String, Long> countByState(List<TcpSocket> sockets) {
        return sockets.stream()
                .collect(Collectors.groupingBy(s -> s.state().ssName(), TreeMap::new, Collectors.counting()));
    }
}
