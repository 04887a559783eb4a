package io.tcphealth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcphealth.agent.diagnosis.Diagnoser;
import io.tcphealth.agent.diagnosis.DiagnosisSettings;
import io.tcphealth.agent.diagnosis.DiagnosisThresholds;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.HostNetns;
import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.SocketSource;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import io.tcphealth.agent.socket.proc.ProcNetTcpSource;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.testsupport.SsOutput;
import io.tcphealth.testsupport.TestNetns;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Diagnosis against the real kernel: one private namespace holds CLOSE_WAIT (with and without
 * unread data), orphaned FIN_WAIT1, a listener with TIME_WAIT, IPv6 sockets, zombies and a dead
 * thread-group leader; what the agent reports is checked against {@code ss} and the helpers' pids.
 */
class DiagnoseIT {
    private static final Path PROC = Path.of("/proc");
    private static TestNetns ns;
    private static TestNetns.Helper closeWaitUnread;
    private static TestNetns.Helper closeWaitIdle;
    private static TestNetns.Helper finWait1;
    private static TestNetns.Helper finWait1OnServicePort;
    private static TestNetns.Helper timeWait;
    private static TestNetns.Helper ipv6;
    private static TestNetns.Helper zombies;
    private static TestNetns.Helper deadLeader;

    @BeforeAll
    static void makeStates() throws Exception {
        ns = TestNetns.create();
        // FIN_WAIT1 orphans must stay put while the test looks (FACTS: 2 keeps them with a live peer).
        ns.sysctl("net.ipv4.tcp_orphan_retries", 2);
        closeWaitUnread = ns.socklab("closewait", "127.0.0.1", 9080, 3, 100);
        closeWaitIdle = ns.socklab("closewait", "127.0.0.1", 9090, 2);
        finWait1 = ns.socklab("finwait1", "127.0.0.1", 9081, 2);
        finWait1OnServicePort = ns.socklab("finwait1", "127.0.0.1", 9085, 2, "server");
        timeWait = ns.socklab("timewait", "127.0.0.1", 9082, 2);
        ipv6 = ns.socklab("closewait", "::1", 9083, 2);
        zombies = ns.socklab("zombies", 6);
        deadLeader = ns.socklab("deadleader", "127.0.0.1", 9084);
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    private static NodeScanner scanner(SocketSource source, HostNetns host) {
        Libc libc = new Libc();
        return new NodeScanner(
                new ProcFs(PROC),
                new NamespaceDiscovery(PROC, host),
                null,
                new NamespaceExecutor(libc),
                source,
                Clock.systemUTC());
    }

    private static NodeScan scanTestNamespace(SocketSource source, Set<Integer> ports) throws Exception {
        return scanner(source, new HostNetns.AtPath(ns.path())).scan(ScanScope.HOST, ports);
    }

    private static List<Finding> diagnose(NodeScan scan, Integer... ports) {
        return new Diagnoser()
                .diagnose(scan, new SocketAges(), new DiagnosisSettings(DiagnosisThresholds.DEFAULTS, List.of(ports)));
    }

    private static Finding only(List<Finding> findings, FindingType type, int port) {
        List<Finding> matching = findings.stream()
                .filter(f -> f.type() == type && f.port() != null && f.port() == port)
                .toList();
        assertThat(matching).as(type + " on port " + port + " in " + findings).hasSize(1);
        return matching.get(0);
    }

    @Test
    void perStateCountsMatchSsAtTheSameMoment() throws Exception {
        NodeScan scan = scanTestNamespace(new NetlinkSocketSource(new Libc()), Set.of());
        Map<String, Long> ss = SsOutput.countByState(ns.ss());

        NamespaceScan host = scan.host().orElseThrow();
        assertThat(host.namespace().inode()).isEqualTo(ns.inode());
        Map<String, Long> ours = new TreeMap<>();
        for (TcpSocket s : host.sockets()) {
            ours.merge(s.state().ssName(), 1L, Long::sum);
        }
        // TIME_WAIT sockets can only disappear (60 s), never appear, between the two reads.
        assertThat(ours).isEqualTo(ss);
        assertThat(ours)
                .containsEntry("CLOSE-WAIT", 7L)
                .containsEntry("FIN-WAIT-1", 4L)
                .containsEntry("TIME-WAIT", 2L);
    }

    @Test
    void netlinkAndProcSourcesAgree() throws Exception {
        NodeScan viaNetlink = scanTestNamespace(new NetlinkSocketSource(new Libc()), Set.of());
        NodeScan viaProc = scanTestNamespace(ProcNetTcpSource.forCallingThread(new ProcFs(PROC)), Set.of());

        assertThat(comparable(viaProc)).isEqualTo(comparable(viaNetlink));
        assertThat(viaProc.source()).isEqualTo("proc");
        assertThat(viaNetlink.source()).isEqualTo("netlink");
    }

    /**
     * What both sources report identically: no cookie (proc has none), no timer expiry (it moves),
     * and no Send-Q for listeners (netlink gives their maximum backlog, /proc/net/tcp 0).
     */
    private static List<String> comparable(NodeScan scan) {
        return scan.host().orElseThrow().sockets().stream()
                .map(s -> String.join(
                        " ",
                        s.state().name(),
                        s.localEndpoint(),
                        s.remoteEndpoint(),
                        String.valueOf(s.recvQueue()),
                        s.state() == TcpState.LISTEN ? "-" : String.valueOf(s.sendQueue()),
                        String.valueOf(s.inode()),
                        String.valueOf(s.uid())))
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    @Test
    void closeWaitIsAttributedToItsOwnerWithUnreadBytes() throws Exception {
        List<Finding> findings = diagnose(scanTestNamespace(new NetlinkSocketSource(new Libc()), Set.of()));

        Finding unreadLeak = only(findings, FindingType.CloseWaitLeak, 9080);
        assertThat(unreadLeak.count()).isEqualTo(3);
        assertThat(unreadLeak.pid()).isEqualTo(closeWaitUnread.pid());
        assertThat(unreadLeak.comm()).isEqualTo("socklab");
        assertThat(unreadLeak.netns()).isEqualTo("host");

        Finding idle = only(findings, FindingType.CloseWaitLeak, 9090);
        assertThat(idle.count()).isEqualTo(2);
        assertThat(idle.pid()).isEqualTo(closeWaitIdle.pid());

        Finding unread = only(findings, FindingType.UnreadReceiveQueue, 9080);
        assertThat(unread.count()).isEqualTo(3);
        assertThat(unread.pid()).isEqualTo(closeWaitUnread.pid());
        assertThat(unread.message()).contains("300 unread bytes");
        assertThat(findings).noneMatch(f -> f.type() == FindingType.UnreadReceiveQueue && f.port() == 9090);

        Finding v6 = only(findings, FindingType.CloseWaitLeak, 9083);
        assertThat(v6.count()).isEqualTo(2);
        assertThat(v6.pid()).isEqualTo(ipv6.pid());
    }

    @Test
    void orphanedFinWait1IsFoundOnTheServicePort() throws Exception {
        NodeScan scan = scanTestNamespace(new NetlinkSocketSource(new Libc()), Set.of());
        List<TcpSocket> fin = scan.host().orElseThrow().sockets().stream()
                .filter(s -> s.state() == TcpState.FIN_WAIT1)
                .toList();
        assertThat(fin).hasSize(4).allMatch(TcpSocket::isOrphan).allMatch(s -> s.sendQueue() > 0);

        Finding f = only(diagnose(scan), FindingType.FinWait1Stuck, 9081);
        assertThat(f.count()).isEqualTo(2);
        assertThat(f.message()).contains("2 orphaned");
        assertThat(f.pid()).isNull();
    }

    @Test
    void portHeldOnlyByOrphanedFinWait1AfterTheServiceClosed() throws Exception {
        List<Finding> findings = diagnose(scanTestNamespace(new NetlinkSocketSource(new Libc()), Set.of(9085)), 9085);

        Finding port = only(findings, FindingType.PortOccupied, 9085);
        assertThat(port.severity()).isEqualTo(Severity.Critical);
        assertThat(port.state()).isEqualTo("FIN_WAIT1");
        assertThat(port.message()).contains("2 FIN_WAIT1").contains("none listening");
        assertThat(port.nextStep()).contains("ss -K state fin-wait-1 '( sport = :9085 )'");
        Finding stuck = only(findings, FindingType.FinWait1Stuck, 9085);
        assertThat(stuck.count()).isEqualTo(2);
        assertThat(stuck.message()).contains("2 orphaned");
    }

    @Test
    void portWithListenerAndTimeWaitAndAStuckPort() throws Exception {
        NodeScan scan = scanTestNamespace(new NetlinkSocketSource(new Libc()), Set.of(9082, 9080, 9999));
        List<Finding> findings = diagnose(scan, 9082, 9080, 9999);

        Finding listener = only(findings, FindingType.PortOccupied, 9082);
        assertThat(listener.severity()).isEqualTo(Severity.Info);
        assertThat(listener.count()).isEqualTo(3);
        assertThat(listener.pid()).isEqualTo(timeWait.pid());
        assertThat(listener.message()).contains("2 TIME_WAIT, 1 LISTEN").contains("listens on the port");

        Finding stuck = only(findings, FindingType.PortOccupied, 9080);
        assertThat(stuck.severity()).isEqualTo(Severity.Critical);
        assertThat(stuck.pid()).isEqualTo(closeWaitUnread.pid());
        assertThat(stuck.message()).contains("3 CLOSE_WAIT").contains("none listening");

        assertThat(only(findings, FindingType.PortOccupied, 9999).message()).contains("is free");
    }

    @Test
    void zombiesAreGroupedUnderTheirParentAsPsShowsThem() throws Exception {
        NodeScan scan = scanTestNamespace(new NetlinkSocketSource(new Libc()), Set.of());
        assertThat(ProcessHandle.of(zombies.pid()))
                .as("the zombies' parent is alive")
                .isPresent();
        String ps = io.tcphealth.testsupport.Commands.run(
                "ps", "-o", "pid=,stat=", "--ppid", String.valueOf(zombies.pid()));
        List<Integer> psZombies = ps.lines()
                .map(String::trim)
                .filter(l -> l.endsWith("Z"))
                .map(l -> Integer.parseInt(l.split("\\s+")[0]))
                .toList();
        assertThat(psZombies).as("ps --ppid %d said:%n%s", zombies.pid(), ps).hasSize(6);

        Finding z = diagnose(scan).stream()
                .filter(f -> f.type() == FindingType.ZombieProcesses
                        && Integer.valueOf(zombies.pid()).equals(f.pid()))
                .findFirst()
                .orElseThrow();
        assertThat(z.count()).isEqualTo(6);
        assertThat(z.severity()).isEqualTo(Severity.Warning);
        assertThat(z.nextStep()).contains("kill -CHLD " + zombies.pid());
        for (int pid : psZombies) {
            assertThat(scan.processes().get(pid).state()).isEqualTo('Z');
        }
    }

    @Test
    void deadThreadGroupLeaderHoldingASocketIsCritical() throws Exception {
        NodeScan scan = scanTestNamespace(new NetlinkSocketSource(new Libc()), Set.of());
        Finding f = diagnose(scan).stream()
                .filter(x -> x.type() == FindingType.ZombieHoldsSockets)
                .findFirst()
                .orElseThrow();
        assertThat(f.pid()).isEqualTo(deadLeader.pid());
        assertThat(f.port()).isEqualTo(9084);
        assertThat(f.severity()).isEqualTo(Severity.Critical);
        assertThat(f.message()).contains("1 live thread");
    }

    @Test
    void scopeAllFindsTheTestNamespaceFromTheHost() throws Exception {
        NodeScan scan = scanner(new NetlinkSocketSource(new Libc()), new HostNetns.Self())
                .scan(ScanScope.ALL, Set.of());

        long testInode = ns.inode();
        NamespaceScan test = scan.namespaces().stream()
                .filter(n -> n.namespace().inode() == testInode)
                .findFirst()
                .orElseThrow(() -> new AssertionError("test namespace not found: " + scan.namespaces()));
        assertThat(test.namespace().host()).isFalse();
        assertThat(test.namespace().pids()).contains(closeWaitUnread.pid(), finWait1.pid());
        assertThat(test.countByState()).containsEntry(TcpState.CLOSE_WAIT, 7L);
        // Other namespaces on the machine may hold sockets on 9080 too: look only at ours.
        Finding leak = diagnose(scan).stream()
                .filter(f -> f.type() == FindingType.CloseWaitLeak
                        && f.port() == 9080
                        && ("netns:[" + testInode + "]").equals(f.netns()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no CloseWaitLeak on 9080 in the test namespace"));
        assertThat(leak.pid()).isEqualTo(closeWaitUnread.pid());
    }

    @Test
    void commandLineReportsJsonAndExitsByTheWorstSeverity() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = TcpHealthCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("diagnose", "--host-netns", ns.path().toString(), "--port", "9080", "-o", "json");

        assertThat(exit).as(err.toString()).isEqualTo(DiagnoseCommand.EXIT_CRITICAL);
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.path("states").path("closeWait").asLong()).isEqualTo(7);
        assertThat(report.path("states").path("finWait1").asLong()).isEqualTo(4);
        assertThat(report.path("lastScan").path("source").asText()).isEqualTo("netlink");
        assertThat(report.path("zombies").path("count").asInt()).isGreaterThanOrEqualTo(6);
        JsonNode first = report.path("findings").get(0);
        assertThat(first.path("severity").asText()).isEqualTo("Critical");
        assertThat(report.path("findings").findValuesAsText("type"))
                .contains("PortOccupied", "CloseWaitLeak", "FinWait1Stuck");
    }

    @Test
    void commandLineTableNamesPortStateOwnerAndNextStep() throws Exception {
        StringWriter out = new StringWriter();
        var cli = TcpHealthCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));

        cli.execute("diagnose", "--host-netns", ns.path().toString(), "--port", "9080");

        String table = out.toString();
        assertThat(table.lines()).allMatch(l -> l.length() <= 120, "every line fits 120 columns");
        assertThat(table)
                .contains("PortOccupied")
                .contains("9080")
                .contains("CLOSE_WAIT")
                .contains("socklab (pid " + closeWaitUnread.pid() + ")")
                .contains("Next:");
    }

    @Test
    void watchShowsHowLongSocketsHaveBeenStuck() throws Exception {
        StringWriter out = new StringWriter();
        var cli = TcpHealthCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));

        int exit = cli.execute(
                "diagnose", "--host-netns", ns.path().toString(), "--watch", "1s", "--count", "2", "-o", "yaml");

        assertThat(exit).as("the dead leader holding a socket is critical").isEqualTo(DiagnoseCommand.EXIT_CRITICAL);
        String[] reports = out.toString().split("(?m)^---$");
        assertThat(reports).hasSize(2);
        var yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        JsonNode first = closeWaitOn9090(yaml.readTree(reports[0]));
        JsonNode second = closeWaitOn9090(yaml.readTree(reports[1]));
        assertThat(first.path("ageBasis").asText())
                .as("a first scan has the kernel's idle time")
                .isEqualTo("kernelIdle");
        assertThat(second.path("ageSeconds").asLong())
                .isGreaterThanOrEqualTo(1)
                .isGreaterThanOrEqualTo(first.path("ageSeconds").asLong());
        assertThat(second.path("message").asText()).containsPattern("for (at least )?\\d+s");
    }

    private static JsonNode closeWaitOn9090(JsonNode report) {
        for (JsonNode f : report.path("findings")) {
            if ("CloseWaitLeak".equals(f.path("type").asText())
                    && f.path("port").asInt() == 9090) {
                return f;
            }
        }
        throw new AssertionError("no CloseWaitLeak on 9090 in " + report);
    }

    @Test
    void usageErrorsExitWithThree() {
        var cli = TcpHealthCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("diagnose", "--port", "notaport")).isEqualTo(3);
        assertThat(cli.execute("diagnose", "--port", "70000")).isEqualTo(3);
        assertThat(cli.execute("diagnose", "--watch", "soon")).isEqualTo(3);
        assertThat(cli.execute("diagnose", "--proc-root", "/nonexistent")).isEqualTo(3);
        assertThat(cli.execute("diagnose", "--count", "2"))
                .as("--count needs --watch")
                .isEqualTo(3);
        assertThat(err.toString()).contains("70000");
    }
}
