package io.tcphealth.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.proc.SocketOwnerCache;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.testsupport.TestNetns;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The owner cache against the reference walk on one real namespace: CLOSE_WAIT with unread data,
 * orphaned FIN_WAIT1, plain connections, IPv6, zombies and a dead thread-group leader. Both must
 * report the same sockets, states, queues and owners, on a cold scan, on a re-scan served from the
 * cache, and after the namespace changed between scans.
 */
class CachedOwnersMatchWalkIT {
    /** Makes the server ends of the plain connections worth attributing too: thousands of owners to compare. */
    private static final Set<Integer> PORTS = Set.of(9180, 9181);

    private static TestNetns ns;
    private static TestNetns.Helper sharedHolders;

    @BeforeAll
    static void makeStates() throws Exception {
        ns = TestNetns.create();
        ns.sysctl("net.ipv4.tcp_orphan_retries", 2);
        ns.socklab("closewait", "127.0.0.1", 9170, 3, 100);
        ns.socklab("finwait1", "127.0.0.1", 9171, 2);
        ns.socklab("closewait", "::1", 9172, 2);
        ns.socklab("established", "127.0.0.1", 9180, 1500);
        ns.socklab("established", "127.0.0.1", 9181, 500);
        ns.socklab("zombies", 3);
        ns.socklab("deadleader", "127.0.0.1", 9173);
        // CLOSE_WAIT sockets a parent and its forked child both hold: a walk that stops once every socket has an
        // owner must still name both.
        sharedHolders = ns.socklab("shared", "127.0.0.1", 9176, 4);
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    private static NodeScanner scanner(OwnerAttribution attribution) {
        return RealScanners.scanner(ns, attribution);
    }

    /** What must agree: everything but the timers, which tick between two scans. */
    private record SocketView(TcpState state, String local, String remote, long recvQueue, long sendQueue, long inode) {
        static SocketView of(TcpSocket s) {
            return new SocketView(
                    s.state(), s.localEndpoint(), s.remoteEndpoint(), s.recvQueue(), s.sendQueue(), s.inode());
        }
    }

    private static List<SocketView> sockets(NodeScan scan) {
        return scan.host().orElseThrow().sockets().stream()
                .map(SocketView::of)
                .sorted((a, b) -> a.toString().compareTo(b.toString()))
                .toList();
    }

    private static void assertSame(NodeScan cached, NodeScan walked) {
        assertThat(sockets(cached)).isEqualTo(sockets(walked));
        Set<Long> inodes = new TreeSet<>(cached.owners().keySet());
        inodes.addAll(walked.owners().keySet());
        List<String> differences = inodes.stream()
                .filter(inode -> !Objects.equals(
                        cached.owners().get(inode), walked.owners().get(inode)))
                .map(inode -> inode + ": cached " + cached.owners().get(inode) + ", walked "
                        + walked.owners().get(inode))
                .limit(20)
                .toList();
        assertThat(differences).as("owners that differ").isEmpty();
        assertThat(cached.owners()).isEqualTo(walked.owners());
    }

    @Test
    void coldAndCachedScansReportWhatTheWalkReports() throws Exception {
        NodeScanner cached = scanner(OwnerAttribution.CACHE_BETWEEN_SCANS);
        NodeScan cold = cached.scan(ScanScope.HOST, PORTS);
        NodeScan walked = scanner(OwnerAttribution.WALK_EVERY_SCAN).scan(ScanScope.HOST, PORTS);
        NodeScan again = cached.scan(ScanScope.HOST, PORTS);

        assertThat(walked.socketCount()).isGreaterThan(4000);
        assertThat(walked.owners().size())
                .as("listeners, CLOSE_WAIT, unread data and the 2000 server ends")
                .isGreaterThan(2000);
        assertSame(cold, walked);
        assertSame(again, walked);
        int parent = sharedHolders.pid();
        int child = Integer.parseInt(sharedHolders.details().trim());
        List<Integer> sharedOwners = cold.host().orElseThrow().sockets().stream()
                .filter(s -> s.state() == TcpState.CLOSE_WAIT && s.localPort() == 9176)
                .flatMap(s -> cold.ownersOf(s.inode()).stream())
                .map(SocketOwner::pid)
                .distinct()
                .sorted()
                .toList();
        assertThat(sharedOwners).as("parent and forked child").containsExactly(parent, child);
        SocketOwnerCache.Stats stats = cached.lastOwnerCacheStats().orElseThrow();
        assertThat(stats.fullRead()).isFalse();
        // Only the holders' relatives outside the namespace may be read again (this test's JVM, the parent of every
        // helper, opens and closes fds between scans); re-reading a holder of the 2000 connections would be 4000 fds.
        assertThat(stats.fdsRead())
                .as("nothing changed in the namespace: %s", stats)
                .isLessThan(1000);
        assertThat(stats.processesReused()).isGreaterThanOrEqualTo(6);

        // The dead leader's sockets come from its live thread, under the leader's pid, in both.
        int deadLeader = walked.processes().values().stream()
                .filter(p -> p.isZombie() && p.threads() > 1)
                .findFirst()
                .orElseThrow()
                .pid();
        assertThat(walked.owners().values().stream().flatMap(List::stream).map(SocketOwner::pid))
                .contains(deadLeader);
    }

    @Test
    void aProcessThatAppearsBetweenScansIsAttributed() throws Exception {
        NodeScanner cached = scanner(OwnerAttribution.CACHE_BETWEEN_SCANS);
        cached.scan(ScanScope.HOST, PORTS);
        TestNetns.Helper late = ns.socklab("closewait", "127.0.0.1", 9174, 4);
        try {
            NodeScan after = cached.scan(ScanScope.HOST, PORTS);
            NodeScan walked = scanner(OwnerAttribution.WALK_EVERY_SCAN).scan(ScanScope.HOST, PORTS);

            assertSame(after, walked);
            List<TcpSocket> closeWait = after.host().orElseThrow().sockets().stream()
                    .filter(s -> s.state() == TcpState.CLOSE_WAIT && s.localPort() == 9174)
                    .toList();
            assertThat(closeWait).hasSize(4);
            for (TcpSocket s : closeWait) {
                assertThat(after.ownersOf(s.inode()))
                        .extracting(SocketOwner::pid)
                        .containsExactly(late.pid());
            }
            assertThat(cached.lastOwnerCacheStats().orElseThrow().processesRead())
                    .isPositive();
        } finally {
            late.kill();
        }
    }

    @Test
    void ownersStayRightOnceTheirProcessHasGone() throws Exception {
        TestNetns.Helper shortLived = ns.socklab("closewait", "127.0.0.1", 9175, 2);
        NodeScanner cached = scanner(OwnerAttribution.CACHE_BETWEEN_SCANS);
        NodeScan before = cached.scan(ScanScope.HOST, PORTS);
        assertThat(before.owners().values().stream().flatMap(List::stream).map(SocketOwner::pid))
                .contains(shortLived.pid());

        shortLived.kill();
        NodeScan after = cached.scan(ScanScope.HOST, PORTS);
        NodeScan walked = scanner(OwnerAttribution.WALK_EVERY_SCAN).scan(ScanScope.HOST, PORTS);
        assertSame(after, walked);
        assertThat(after.owners().values().stream().flatMap(List::stream).map(SocketOwner::pid))
                .doesNotContain(shortLived.pid());
        Map<Long, List<SocketOwner>> owners = after.owners();
        assertThat(owners).isNotEmpty();
    }

    @Test
    void aProcessHoldingNothingWorthReportingIsNotRead() throws Exception {
        try (TestNetns quiet = TestNetns.create()) {
            // A listener with 1,000 quiet connections (2,001 fds, the listener worth reporting), then five processes of
            // 300 to 100 quiet clients of it: nothing about them is worth reporting.
            TestNetns.Helper server = quiet.socklab("established", "127.0.0.1", 9190, 1000);
            List<Integer> clients = new java.util.ArrayList<>();
            for (int n = 300; n >= 100; n -= 50) {
                clients.add(quiet.socklab("connect", "127.0.0.1", 9190, n).pid());
            }
            NodeScanner cached = RealScanners.scanner(quiet, OwnerAttribution.CACHE_BETWEEN_SCANS);
            NodeScan scan = cached.scan(ScanScope.HOST, Set.of());

            TcpSocket listener = scan.host().orElseThrow().sockets().stream()
                    .filter(s -> s.state() == TcpState.LISTEN && s.localPort() == 9190)
                    .findFirst()
                    .orElseThrow();
            assertThat(scan.ownersOf(listener.inode()))
                    .extracting(SocketOwner::pid)
                    .containsExactly(server.pid());
            assertThat(scan.owners().values().stream().flatMap(List::stream).map(SocketOwner::pid))
                    .doesNotContainAnyElementsOf(clients);
            // The holder (the biggest fd table, so read first; up to FD_READERS - 1 of the clients are read beside it),
            // then only its relatives: its ancestors up to PID 1. Not the other clients.
            int ancestors = RealScanners.ancestors(server.pid());
            SocketOwnerCache.Stats stats = cached.lastOwnerCacheStats().orElseThrow();
            assertThat(stats.fullRead()).isTrue();
            assertThat(stats.processesRead())
                    .as("%s, %d ancestors, %d readers", stats, ancestors, NodeScanner.FD_READERS)
                    .isBetween(1 + ancestors, NodeScanner.FD_READERS + ancestors);
        }
    }
}
