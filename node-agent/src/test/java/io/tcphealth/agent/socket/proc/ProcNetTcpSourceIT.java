package io.tcphealth.agent.socket.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.ScanProblems;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.proc.SocketOwnerIndex;
import io.tcphealth.agent.proc.SocketOwners;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.proc.SysctlReader;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import io.tcphealth.testsupport.Commands;
import io.tcphealth.testsupport.TestNetns;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /proc/thread-self/net/tcp{,6}} read from a thread inside a private namespace full of known
 * socket states, compared socket for socket with {@code ss -tanHpe} run in that namespace; socket
 * owners compared with the {@code users:} column; sysctls and sockstat read through the same thread.
 */
class ProcNetTcpSourceIT {
    private static final NamespaceExecutor EXECUTOR = new NamespaceExecutor(new Libc(), Duration.ofSeconds(30));
    private static final ProcFs PROC = ProcFs.host();

    private static TestNetns netns;
    private static NetNamespace target;
    private static final List<Integer> HELPERS = new ArrayList<>();
    private static int closeWaitHelper;

    @BeforeAll
    static void makeSockets() throws Exception {
        netns = TestNetns.create();
        try {
            target = new NetNamespace(netns.inode(), netns.path(), false, List.of());
            HELPERS.add(netns.socklab("listen", "127.0.0.1", 7101).pid());
            HELPERS.add(netns.socklab("established", "127.0.0.1", 7102, 2).pid());
            closeWaitHelper =
                    netns.socklab("closewait", "127.0.0.1", 7103, 3, 1000).pid();
            HELPERS.add(closeWaitHelper);
            HELPERS.add(netns.socklab("established", "::1", 7104, 1).pid());
            HELPERS.add(netns.socklab("closewait", "::1", 7105, 1).pid());
            HELPERS.add(netns.socklab("finwait1", "127.0.0.1", 7106, 1).pid());
            HELPERS.add(netns.socklab("timewait", "127.0.0.1", 7107, 1).pid());
            HELPERS.add(
                    netns.socklab("established", "::ffff:127.0.0.1", 7108, 1).pid());
            netns.sysctl("net.ipv4.tcp_keepalive_time", 612);
            netns.sysctl("net.ipv4.tcp_fin_timeout", 17);
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

    private static <T> T inNetns(Callable<T> task) throws Exception {
        return EXECUTOR.call(target, task);
    }

    private static List<TcpSocket> read(Set<TcpState> states) throws Exception {
        return inNetns(() -> ProcNetTcpSource.forCallingThread(PROC).sockets(states));
    }

    private static List<SsLineFields> ss(String... args) throws Exception {
        return netns.ss(args).stream().map(SsLineFields::parse).toList();
    }

    @Test
    void everySocketMatchesSsStateAddressesQueuesAndInode() throws Exception {
        // Two reads a moment apart could see a socket move (a FIN arriving late); compare until
        // both agree, with a generous bound.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> fromProc =
                    read(TcpState.all()).stream().map(SsLineFields::key).toList();
            List<String> fromSs = ss("-pe").stream().map(SsLineFields::key).toList();
            assertThat(fromProc).containsExactlyInAnyOrderElementsOf(fromSs);
        });
        List<TcpSocket> all = read(TcpState.all());
        // ESTAB: 2 pairs on 7102, 1 pair on ::1, 1 pair v4-mapped, the never-reading receiver on 7106.
        assertThat(all).filteredOn(s -> s.state() == TcpState.CLOSE_WAIT).hasSize(4);
        assertThat(all).filteredOn(s -> s.state() == TcpState.FIN_WAIT1).hasSize(1);
        assertThat(all).filteredOn(s -> s.state() == TcpState.TIME_WAIT).hasSize(1);
        assertThat(all).filteredOn(s -> s.state() == TcpState.ESTABLISHED).hasSize(9);
    }

    @Test
    void fieldsSayWhatEachStateMeans() throws Exception {
        List<TcpSocket> all = read(TcpState.all());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");

        assertThat(all)
                .filteredOn(s -> s.state() == TcpState.CLOSE_WAIT && s.localPort() == 7103)
                .hasSize(3)
                .allSatisfy(s -> {
                    // The unread 1000 bytes plus one for the FIN: the owner has not even read to
                    // end-of-file (reading the EOF would advance copied_seq past the FIN).
                    assertThat(s.recvQueue()).isEqualTo(1001);
                    assertThat(s.local()).isEqualTo(loopback);
                    assertThat(s.inode()).isPositive();
                    assertThat(s.isOrphan()).isFalse();
                });
        TcpSocket finWait1 = all.stream()
                .filter(s -> s.state() == TcpState.FIN_WAIT1)
                .findFirst()
                .orElseThrow();
        assertThat(finWait1.remotePort()).isEqualTo(7106);
        assertThat(finWait1.isOrphan()).isTrue();
        assertThat(finWait1.sendQueue()).isPositive();
        assertThat(finWait1.timer()).isIn(TimerKind.PERSIST, TimerKind.RETRANSMIT);
        TcpSocket timeWait = all.stream()
                .filter(s -> s.state() == TcpState.TIME_WAIT)
                .findFirst()
                .orElseThrow();
        assertThat(timeWait.localPort()).isEqualTo(7107);
        assertThat(timeWait.timer()).isEqualTo(TimerKind.TIME_WAIT);
        assertThat(timeWait.timerExpiresMillis()).isBetween(1, 60_000);

        assertThat(all)
                .filteredOn(s -> s.state() == TcpState.CLOSE_WAIT && s.localPort() == 7105)
                .singleElement()
                .satisfies(s ->
                        assertThat(s.recvQueue()).as("just the FIN, never read").isEqualTo(1));
        assertThat(all)
                .filteredOn(s -> s.localPort() == 7104 && s.state() == TcpState.LISTEN)
                .singleElement()
                .satisfies(s -> assertThat(s.local()).isEqualTo(InetAddress.getByName("::1")));
        assertThat(all)
                .filteredOn(s -> s.localPort() == 7108 && s.state() == TcpState.LISTEN)
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.local()).isInstanceOf(Inet6Address.class);
                    assertThat(s.local().getAddress())
                            .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1);
                });
    }

    @Test
    void stateFilterMatchesSsStateFilter() throws Exception {
        List<TcpSocket> stuck = read(EnumSet.of(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1));
        assertThat(stuck).extracting(TcpSocket::state).containsOnly(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1);
        assertThat(stuck)
                .hasSize(netns.ss("state", "close-wait").size()
                        + netns.ss("state", "fin-wait-1").size());
    }

    @Test
    void aProcessViewShowsTheSameNamespace() throws Exception {
        Set<Long> viaThread = inodes(read(TcpState.all()));
        Set<Long> viaPid =
                inodes(ProcNetTcpSource.forProcess(PROC, closeWaitHelper).sockets(TcpState.all()));
        assertThat(viaPid).isEqualTo(viaThread);
        Set<Long> ownNamespace = inodes(ProcNetTcpSource.forCallingThread(PROC).sockets(TcpState.all()));
        assertThat(ownNamespace)
                .doesNotContainAnyElementsOf(
                        viaThread.stream().filter(i -> i != 0).toList());
    }

    @Test
    void ownersAreTheHelpersAndTheirFdsAsSsSeesThem() throws Exception {
        List<TcpSocket> sockets = read(TcpState.all());
        Set<Long> owned = new TreeSet<>(inodes(sockets));
        owned.remove(0L);
        ScanProblems problems = new ScanProblems();
        SocketOwnerIndex byPid = new SocketOwners(PROC).scan(SocketOwners.Scope.pids(HELPERS), problems);
        SocketOwnerIndex byInode =
                new SocketOwners(PROC).scan(SocketOwners.Scope.everything().onlyInodes(owned), problems);
        // Some processes may be listed but not inspected even by root (a non-dumpable supervisor
        // here): one problem per such fd directory, never per fd, folded into one line per kind of
        // file, and never about the helpers.
        assertThat(problems.malformed()).isZero();
        assertThat(problems.permissionDenied()).isEqualTo(problems.count());
        assertThat(problems.messages())
                .allSatisfy(
                        m -> assertThat(m)
                                .matches(
                                        "could not read /proc/(\\d+/fd|<n>/fd for \\d+ entries \\(like /proc/\\d+/fd\\)): permission denied.*"));
        for (int helper : HELPERS) {
            assertThat(problems.messages()).noneMatch(m -> m.startsWith("could not read /proc/" + helper + "/"));
        }

        Set<String> fromSs = new HashSet<>();
        for (SsLineFields l : ss("-pe")) {
            for (int[] o : l.owners()) {
                fromSs.add(l.inode() + " " + o[0] + " " + o[1]);
            }
        }
        for (SocketOwnerIndex index : List.of(byPid, byInode)) {
            Set<String> found = new HashSet<>();
            for (long inode : index.inodes()) {
                for (SocketOwner o : index.ownersOf(inode)) {
                    found.add(inode + " " + o.pid() + " " + o.fd());
                    assertThat(Files.readSymbolicLink(PROC.pidPath(o.pid(), "fd/" + o.fd()))
                                    .toString())
                            .isEqualTo("socket:[" + inode + "]");
                }
            }
            assertThat(found).isEqualTo(fromSs);
            assertThat(index.inodes()).isEqualTo(owned);
        }
    }

    @Test
    void sysctlsAreTheNamespacesOwnReadInOneLargeRead() throws Exception {
        ScanProblems problems = new ScanProblems();
        TcpSysctls inside = inNetns(() -> SysctlReader.host().tcpSysctls(problems));
        assertThat(inside.keepaliveTime())
                .as("three digits: not the first byte only")
                .isEqualTo(612);
        assertThat(inside.finTimeout()).isEqualTo(17);
        assertThat(inside.maxOrphans())
                .as("host-wide, absent in a pod namespace")
                .isEqualTo(-1);
        assertThat(problems.isEmpty()).as(problems.toString()).isTrue();

        long hostMaxOrphans = SysctlReader.host().read(SysctlKey.TCP_MAX_ORPHANS);
        assertThat(hostMaxOrphans)
                .isEqualTo(Long.parseLong(Commands.run("cat", "/proc/sys/net/ipv4/tcp_max_orphans")
                        .trim()));
        assertThat(hostMaxOrphans).isGreaterThan(9);
    }

    @Test
    void sockstatCountsThisNamespace() throws Exception {
        SockStat stat =
                inNetns(() -> SockStat.parse("sockstat", PROC.read(PROC.path("thread-self", "net", "sockstat"))));
        long timeWait = netns.ss("state", "time-wait").size();
        // tw comes from the TIME_WAIT pool, which namespaces share unless
        // net.ipv4.tcp_child_ehash_entries gave them their own.
        assertThat(stat.inUse()).isPositive();
        assertThat(stat.timeWait()).isGreaterThanOrEqualTo(timeWait);
    }

    private static Set<Long> inodes(List<TcpSocket> sockets) {
        Set<Long> out = new HashSet<>();
        for (TcpSocket s : sockets) {
            out.add(s.inode());
        }
        return out;
    }
}
