package io.tcphealth.agent.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.HostNetns;
import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.proc.NetStatTables;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.TcpCounter;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.testsupport.SsOutput;
import io.tcphealth.testsupport.TestNetns;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection-level failures made for real, each in a namespace of its own, and what diagnosis
 * says about them: the owner (checked against the helper's pid), the counts (against {@code ss}) and
 * the namespace's own counters (against its {@code /proc/net/netstat}).
 */
class ConnectionFindingsIT {
    private static final Path PROC = Path.of("/proc");
    private static final Duration IDLE_AFTER = Duration.ofSeconds(2);
    /** Low thresholds so the failures show within seconds; everything else at its default. */
    private static final DiagnosisSettings SETTINGS = new DiagnosisSettings(
            DiagnosisThresholds.DEFAULTS.withConnections(
                    new ConnectionThresholds(0.7, 0.9, 1, 3, 3, 0.8, ConnectionFindingsIT.IDLE_AFTER)),
            List.of());

    private static NodeScanner scanner(TestNetns ns) {
        return new NodeScanner(
                new ProcFs(PROC),
                new NamespaceDiscovery(PROC, new HostNetns.AtPath(ns.path())),
                null,
                new NamespaceExecutor(new Libc()),
                new NetlinkSocketSource(new Libc()),
                Clock.systemUTC());
    }

    private static List<Finding> diagnose(NodeScan scan) {
        return new Diagnoser().diagnose(scan, new SocketAges(), SETTINGS);
    }

    private static Finding only(List<Finding> findings, FindingType type) {
        List<Finding> matching = findings.stream().filter(f -> f.type() == type).toList();
        assertThat(matching).as(type + " in " + findings).hasSize(1);
        return matching.getFirst();
    }

    @Test
    void connectionsThatUseUpTheLocalPortRangeAreNamedWithTheirOwner() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            ns.sysctl("net.ipv4.ip_local_port_range", "40000 40019");
            TestNetns.Helper client = ns.socklab("portexhaust", "127.0.0.1", 9300);

            NodeScan scan = scanner(ns).scan(ScanScope.HOST, Set.of());
            Finding f = only(diagnose(scan), FindingType.EphemeralPortExhaustion);

            long fromSs = ns.ss().stream()
                    .map(SsOutput::fields)
                    .filter(w -> w[4].equals("127.0.0.1:9300")
                            && SsOutput.port(w[3]) >= 40000
                            && SsOutput.port(w[3]) <= 40019)
                    .count();
            assertThat(fromSs).isEqualTo(20);
            assertThat(f.count()).isEqualTo(fromSs);
            assertThat(f.severity()).isEqualTo(Severity.Critical);
            assertThat(f.port()).isEqualTo(9300);
            assertThat(f.pid()).isEqualTo(client.pid());
            assertThat(f.message())
                    .contains(
                            "20 of the 20 local ports",
                            "ip_local_port_range 40000-40019",
                            "TIME_WAIT",
                            "127.0.0.1:9300",
                            "cannot assign requested address");
            assertThat(f.nextStep()).contains("reuse connections", "ip_local_port_range");
        }
    }

    @Test
    void aListenerThatNeverAcceptsOverflowsAndItsNamespaceCountersRise() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            ns.sysctl("net.core.somaxconn", 1024);
            TestNetns.Helper listener = ns.socklab("backlog", "127.0.0.1", 9301, 2);
            NodeScanner scanner = scanner(ns);
            NodeScan first = scanner.scan(ScanScope.HOST, Set.of());
            assertThat(first.host().orElseThrow().counters().sincePrevious())
                    .as("no rise on a first scan")
                    .isNull();
            long before = netstat(ns, "TcpExt.ListenOverflows");

            ns.socklab("connect", "127.0.0.1", 9301, 6);
            NodeScan second = scanner.scan(ScanScope.HOST, Set.of());
            long after = netstat(ns, "TcpExt.ListenOverflows");

            NamespaceScan host = second.host().orElseThrow();
            long rise = host.counters().rise(TcpCounter.LISTEN_OVERFLOWS);
            assertThat(rise).isPositive().isLessThanOrEqualTo(after - before);
            assertThat(host.counters().value(TcpCounter.LISTEN_OVERFLOWS)).isBetween(before, after);
            // The counters are the namespace's own: the machine's initial namespace has counts of its own.
            assertThat(host.limits().somaxconn()).isEqualTo(1024);

            Finding f = only(diagnose(second), FindingType.ListenQueueOverflow);
            // With a state filter ss leaves the State column out: Recv-Q comes first.
            String[] listen = SsOutput.fields(ns.ss("state", "listening").getFirst());
            assertThat(f.count()).isEqualTo(Long.parseLong(listen[0]));
            assertThat(f.pid()).isEqualTo(listener.pid());
            assertThat(f.port()).isEqualTo(9301);
            assertThat(f.severity()).isEqualTo(Severity.Critical);
            assertThat(f.message()).contains("backlog of 2", "somaxconn here allows up to 1024", "ListenOverflows");
            assertThat(f.nextStep()).contains("accept()");
        }
    }

    @Test
    void connectionsIdleWithoutKeepaliveAreNamedWithTheirOwnerAndWithKeepaliveAreNot() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            TestNetns.Helper bare = ns.socklab("established", "127.0.0.1", 9310, 2);
            TestNetns.Helper kept = ns.socklab("-k", "established", "127.0.0.1", 9311, 2);
            NodeScanner scanner = scanner(ns);
            // What ss -o says: no timer at all on the bare pair's sockets, a keepalive timer on the others.
            List<String> established = ns.ss("-o", "state", "established");
            assertThat(established.stream().filter(l -> onPort(l, 9310)))
                    .hasSize(4)
                    .noneMatch(l -> l.contains("timer:"));
            assertThat(established.stream().filter(l -> onPort(l, 9311)))
                    .hasSize(4)
                    .allMatch(l -> l.contains("timer:(keepalive"));

            // Nothing is sent on them: after the threshold both sides' peers have been silent long enough.
            Thread.sleep(IDLE_AFTER.toMillis() + 500);
            NodeScan scan = scanner.scan(ScanScope.HOST, Set.of(), IDLE_AFTER);
            List<Finding> idle = diagnose(scan).stream()
                    .filter(f -> f.type() == FindingType.IdleWithoutKeepalive)
                    .toList();

            // The client side (two connections to 9310) and the server side (two from clients to 9310), both bare's.
            assertThat(idle).hasSize(2).allSatisfy(f -> {
                assertThat(f.pid()).isEqualTo(bare.pid());
                assertThat(f.port()).isEqualTo(9310);
                assertThat(f.count()).isEqualTo(2);
                assertThat(f.severity()).isEqualTo(Severity.Warning);
                assertThat(f.state()).isEqualTo("ESTABLISHED");
                assertThat(f.ageBasis()).isEqualTo(AgeBasis.kernelIdle);
                assertThat(f.ageSeconds()).isGreaterThanOrEqualTo(IDLE_AFTER.toSeconds());
                assertThat(f.message()).contains("without keepalive", "NAT", "socklab (pid " + bare.pid() + ")");
                assertThat(f.nextStep())
                        .contains("SO_KEEPALIVE", "TCP_KEEPIDLE", "tcp_keepalive_time", "TCP_USER_TIMEOUT");
            });
            assertThat(idle)
                    .extracting(Finding::message)
                    .anySatisfy(m -> assertThat(m).contains("to 127.0.0.1:9310"))
                    .anySatisfy(m -> assertThat(m).contains("from clients to port 9310"));
            assertThat(idle).noneMatch(f -> f.pid() == kept.pid());
        }
    }

    /** An ss line (with a state filter: Recv-Q, Send-Q, local, peer, ...) of a connection from or to {@code port}. */
    private static boolean onPort(String line, int port) {
        String[] w = SsOutput.fields(line);
        return SsOutput.port(w[2]) == port || SsOutput.port(w[3]) == port;
    }

    @Test
    void aConnectionWhosePeerGoesSilentIsStalled() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            TestNetns.Helper owner = ns.socklab("stall", "127.0.0.1", 9302);
            // Everything sent to the server's port is dropped from now on: the client retransmits.
            ns.exec("iptables-legacy", "-w", "-A", "INPUT", "-p", "tcp", "--dport", "9302", "-j", "DROP");
            try (OutputStream in = owner.process().getOutputStream()) {
                in.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> retransmits(ns, "127.0.0.1:9302") >= 3);

            Finding f = only(diagnose(scanner(ns).scan(ScanScope.HOST, Set.of())), FindingType.StalledConnection);
            assertThat(f.pid()).isEqualTo(owner.pid());
            assertThat(f.port()).isEqualTo(9302);
            assertThat(f.count()).isEqualTo(1);
            assertThat(f.message())
                    .contains("127.0.0.1:9302", "1000 bytes waiting", "tcp_retries2 = 15", "nothing acknowledged for");
            assertThat(f.ageSeconds())
                    .as("time since the last acknowledgement, from tcp_info")
                    .isNotNull();
            assertThat(f.nextStep()).contains("TCP_USER_TIMEOUT", "keepalive");
        }
    }

    @Test
    void aReceiverThatStopsReadingIsNamedForItsSendersZeroWindow() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            TestNetns.Helper receiver = ns.socklab("zerowindow", "127.0.0.1", 9303, "split");
            long sender = ProcessHandle.of(receiver.pid())
                    .orElseThrow()
                    .children()
                    .findFirst()
                    .orElseThrow()
                    .pid();
            assertThat(ns.ss("-o").stream().filter(l -> l.contains("persist"))).hasSize(1);

            Finding f = only(diagnose(scanner(ns).scan(ScanScope.HOST, Set.of())), FindingType.ZeroWindowStall);
            assertThat(f.pid()).as("the process that is not reading").isEqualTo(receiver.pid());
            assertThat(f.port()).isEqualTo(9303);
            assertThat(f.message())
                    .contains(
                            "socklab (pid " + sender + ")",
                            "socklab (pid " + receiver.pid() + ")",
                            "unread bytes",
                            "stopped reading");
            assertThat(f.ageSeconds())
                    .as("time since the sender last sent data, from tcp_info")
                    .isNotNull();
        }
    }

    @Test
    void aReceiverInAnotherNamespaceOfTheNodeIsNamedForTheSendersZeroWindow() throws Exception {
        try (TestNetns receiving = TestNetns.create();
                TestNetns sending = TestNetns.create()) {
            // A veth pair between the two namespaces: traffic stays inside namespaces this test made.
            String a = "t15a" + Long.toHexString(receiving.inode() & 0xffff);
            String b = "t15b" + Long.toHexString(sending.inode() & 0xffff);
            receiving.exec("ip", "link", "add", a, "type", "veth", "peer", "name", b, "netns", sending.name());
            receiving.exec("ip", "addr", "add", "10.203.0.1/24", "dev", a);
            receiving.exec("ip", "link", "set", a, "up");
            sending.exec("ip", "addr", "add", "10.203.0.2/24", "dev", b);
            sending.exec("ip", "link", "set", b, "up");
            TestNetns.Helper reader = receiving.socklab("sink", "10.203.0.1", 9305);
            TestNetns.Helper writer = sending.socklab("fill", "10.203.0.1", 9305);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sending.ss("-o").stream().anyMatch(l -> l.contains("persist")));

            // Every namespace a process lives in, the receiving one counting as the host's.
            NodeScan scan = scanner(receiving).scan(ScanScope.ALL, Set.of());
            List<Finding> ours = diagnose(scan).stream()
                    .filter(f -> f.type() == FindingType.ZeroWindowStall && f.port() != null && f.port() == 9305)
                    .toList();

            assertThat(ours).singleElement().satisfies(f -> {
                assertThat(f.pid()).as("the process that is not reading").isEqualTo(reader.pid());
                assertThat(f.netns()).isEqualTo("host");
                assertThat(f.message())
                        .contains(
                                "socklab (pid " + writer.pid() + ") in netns:[" + sending.inode() + "]",
                                "to 10.203.0.1:9305",
                                "socklab (pid " + reader.pid() + ") in host",
                                "stopped reading");
            });
        }
    }

    @Test
    void tcpMemoryPastTcpMemIsPressureNamingTheBiggestHolder(@TempDir Path sysctlRoot) throws Exception {
        // tcp_mem is host-wide: a fixture stands in for it, so the machine's value is never touched.
        Path tcpMem = sysctlRoot.resolve("net/ipv4/tcp_mem");
        Files.createDirectories(tcpMem.getParent());
        Files.writeString(tcpMem, "1\t2\t4\n");
        try (TestNetns ns = TestNetns.create()) {
            // 60 connections with 64 KiB unread each: about 4 MiB, well past what the kernel keeps in its
            // per-CPU reserve (1 MiB a CPU) before it shows in sockstat's mem.
            TestNetns.Helper holder = ns.socklab("closewait", "127.0.0.1", 9304, 60, 65536);
            NodeScan scan = scanner(ns).globalSysctls(sysctlRoot).scan(ScanScope.HOST, Set.of());
            assertThat(scan.host().orElseThrow().limits().tcpMemPressure()).isEqualTo(2);

            Finding f = only(diagnose(scan), FindingType.TcpMemoryPressure);
            assertThat(f.severity()).isEqualTo(Severity.Critical);
            assertThat(f.count()).isEqualTo(scan.host().orElseThrow().sockStat().memPages());
            assertThat(f.pid()).isEqualTo(holder.pid());
            assertThat(f.message())
                    .contains("pressure threshold (2 pages", "Most socket memory: socklab (pid " + holder.pid() + ")");
        }
    }

    private static long netstat(TestNetns ns, String key) throws Exception {
        return NetStatTables.parse("netstat", ns.exec("cat", "/proc/net/netstat"))
                .get(key);
    }

    /** The retransmission count {@code ss -o} shows for the connection to {@code peer}, 0 when none. */
    private static int retransmits(TestNetns ns, String peer) throws Exception {
        return ns.ss("-o", "state", "established").stream()
                .filter(l -> l.contains(" " + peer + " ") && l.contains("timer:(on,"))
                .map(l -> l.substring(l.indexOf("timer:(on,")).replaceAll("^timer:\\(on,[^,]*,(\\d+)\\).*$", "$1"))
                .map(Integer::parseInt)
                .max(Comparator.naturalOrder())
                .orElse(0);
    }
}
