package io.tcphealth.agent.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.HostNetns;
import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import io.tcphealth.testsupport.TestNetns;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What diagnosis says about ports against what the kernel does: every bind verdict against a real
 * {@code bind()} and {@code listen()} (with and without SO_REUSEADDR) for IPv4, IPv6, v6-only and
 * mapped addresses; shared sockets against the holders {@code ss -tanp} names; suggested commands
 * run for real, destroying exactly the finding's sockets.
 */
class PortTruthIT {
    private static final Path PROC = Path.of("/proc");
    private static final Pattern USER = Pattern.compile("pid=(\\d+)");
    private static TestNetns ns;
    private static TestNetns.Helper shared;

    @BeforeAll
    static void makeStates() throws Exception {
        ns = TestNetns.create();
        shared = ns.socklab("shared", "127.0.0.1", 9201, 2); // CLOSE_WAIT held by parent and child, listener gone
        ns.socklab("-6", "listen", "::", 9202);
        ns.socklab("listen", "::1", 9203);
        ns.socklab(
                "-n", "-c", "timewait", "127.0.0.1", 9204, 1); // TIME_WAIT alone, from a listener without SO_REUSEADDR
        ns.socklab("-c", "timewait", "127.0.0.1", 9205, 1); // TIME_WAIT alone, from one with it
        ns.socklab("bound", "127.0.0.1", 9206);
        ns.socklab("-n", "bound", "127.0.0.2", 9207);
        ns.socklab("listen", "127.0.0.1", 9208);
        ns.socklab("listen", "::", 9209);
        ns.socklab("established", "127.0.0.1", 9210, 2, 3); // 2 ESTABLISHED and 3 CLOSE_WAIT on one port
    }

    @AfterAll
    static void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    private static NodeScan scan(Set<Integer> ports) throws Exception {
        return new NodeScanner(
                        new ProcFs(PROC),
                        new NamespaceDiscovery(PROC, new HostNetns.AtPath(ns.path())),
                        null,
                        new NamespaceExecutor(new Libc()),
                        new NetlinkSocketSource(new Libc()),
                        Clock.systemUTC())
                .scan(ScanScope.HOST, ports);
    }

    @Test
    void everyVerdictIsWhatBindDoes() throws Exception {
        List<TcpSocket> sockets = scan(Set.of()).host().orElseThrow().sockets();
        List<BindRules.Candidate> candidates = List.of(
                candidate("0.0.0.0", false),
                candidate("127.0.0.1", false),
                candidate("127.0.0.2", false),
                candidate("127.0.0.6", false),
                candidate("::", false),
                candidate("::", true),
                candidate("::1", true),
                candidate("::ffff:127.0.0.1", false),
                candidate("::ffff:127.0.0.2", false));
        int checked = 0;
        for (int port = 9201; port <= 9210; port++) {
            int p = port;
            List<TcpSocket> onPort =
                    sockets.stream().filter(s -> s.localPort() == p).toList();
            assertThat(onPort).as("sockets on %d", port).isNotEmpty();
            for (BindRules.Candidate c : candidates) {
                BindRules.Verdict v = BindRules.verdict(c, onPort);
                String host = c.address().getHostAddress();
                String plain = ns.socklabRun(
                        c.v6Only()
                                ? List.of("-n", "-6", "trylisten", host, port).toArray()
                                : List.of("-n", "trylisten", host, port).toArray());
                String reuse = ns.socklabRun(
                        c.v6Only()
                                ? List.of("-6", "trylisten", host, port).toArray()
                                : List.of("trylisten", host, port).toArray());
                String what = c.text(port) + " beside "
                        + onPort.stream()
                                .map(s -> s.state() + " " + s.localEndpoint()
                                        + (Boolean.TRUE.equals(s.v6Only()) ? " v6only" : ""))
                                .toList();
                switch (v.outcome()) {
                    case BINDS -> {
                        assertThat(plain).as(what).isEqualTo("listen ok");
                        assertThat(reuse).as(what).isEqualTo("listen ok");
                    }
                    case LISTENER_BLOCKS -> {
                        assertThat(plain).as(what).startsWith("listen EADDRINUSE");
                        assertThat(reuse).as(what).startsWith("listen EADDRINUSE");
                    }
                    case NEEDS_REUSEADDR_ON_BOTH_SIDES -> {
                        assertThat(plain).as(what).startsWith("listen EADDRINUSE");
                        // What SO_REUSEADDR does here depends on the old sockets' own flag, known to the test only.
                        boolean oldHadIt = p != 9204 && p != 9207;
                        assertThat(reuse).as(what).isEqualTo(oldHadIt ? "listen ok" : "listen EADDRINUSE at bind");
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(90);
    }

    @Test
    void theFindingNamesTheAddressFamilyAndWhatTheKernelDoesNotSay() throws Exception {
        List<Finding> findings = new Diagnoser()
                .diagnose(
                        scan(Set.of(9202, 9204, 9206)),
                        new SocketAges(),
                        new DiagnosisSettings(Thresholds.DEFAULTS, List.of(9202, 9204, 9206)));

        Finding v6only = port(findings, 9202);
        assertThat(v6only.message())
                .contains("on 0.0.0.0:9202 (IPv4) can bind")
                .contains("[::]:9202 (IPv6 and IPv4), [::]:9202 (IPv6 only) cannot bind (EADDRINUSE)");
        Finding timeWait = port(findings, 9204);
        assertThat(timeWait.message())
                .contains("1 TIME_WAIT")
                .contains("cannot bind without SO_REUSEADDR")
                .contains("which the kernel does not report");
        Finding bound = port(findings, 9206);
        assertThat(bound.message()).contains("1 CLOSE").contains("socklab (pid");
    }

    @Test
    void everyHolderOfASharedSocketIsNamedWithItsCount() throws Exception {
        int child = Integer.parseInt(shared.details().trim());
        List<Finding> findings = new Diagnoser()
                .diagnose(
                        scan(Set.of(9201)),
                        new SocketAges(),
                        new DiagnosisSettings(Thresholds.DEFAULTS, List.of(9201)));
        Finding leak = findings.stream()
                .filter(f -> f.type() == FindingType.CloseWaitLeak && f.port() == 9201)
                .findFirst()
                .orElseThrow();

        // ss -tanp lists every process that has the socket open.
        for (String line : ns.ss("-p", "state", "close-wait", "( sport = :9201 )")) {
            Matcher m = USER.matcher(line);
            List<Integer> pids = new java.util.ArrayList<>();
            while (m.find()) {
                pids.add(Integer.parseInt(m.group(1)));
            }
            assertThat(pids).containsExactlyInAnyOrder(shared.pid(), child);
        }
        assertThat(leak.holders())
                .extracting(Finding.Holder::pid, Finding.Holder::sockets)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Math.min(shared.pid(), child), 2L),
                        org.assertj.core.groups.Tuple.tuple(Math.max(shared.pid(), child), 2L));
        assertThat(leak.message())
                .contains("(pid " + shared.pid() + ", 2 sockets)")
                .contains("(pid " + child + ", 2 sockets)")
                .contains("2 of them are shared: a shared socket ends only when every holder has closed it");
        assertThat(leak.nextStep()).contains("Every holder must close a shared socket");
    }

    @Test
    void theSuggestedCommandDestroysExactlyTheFindingsSockets() throws Exception {
        List<Finding> findings = new Diagnoser()
                .diagnose(
                        scan(Set.of(9210)),
                        new SocketAges(),
                        new DiagnosisSettings(Thresholds.DEFAULTS, List.of(9210)));
        String next = port(findings, 9210).nextStep();
        Matcher m = Pattern.compile("(ss -K state close-wait '[^']*')").matcher(next);
        assertThat(m.find()).as(next).isTrue();
        assertThat(m.group(1)).isEqualTo("ss -K state close-wait '( sport = :9210 )'");
        assertThat(ns.ss("state", "close-wait", "( sport = :9210 )")).hasSize(3);

        ns.exec("sh", "-c", m.group(1));

        assertThat(ns.ss("state", "close-wait", "( sport = :9210 )")).isEmpty();
        assertThat(ns.ss("state", "established", "( sport = :9210 )"))
                .as("healthy connections stay")
                .hasSize(2);
        assertThat(ns.ss("state", "listening", "( sport = :9210 )")).hasSize(1);

        List<Finding> after = new Diagnoser()
                .diagnose(
                        scan(Set.of(9210)),
                        new SocketAges(),
                        new DiagnosisSettings(Thresholds.DEFAULTS, List.of(9210)));
        assertThat(port(after, 9210).nextStep()).doesNotContain("ss -K");
    }

    private static Finding port(List<Finding> findings, int port) {
        return findings.stream()
                .filter(f -> f.type() == FindingType.PortOccupied && f.port() == port)
                .findFirst()
                .orElseThrow();
    }

    private static BindRules.Candidate candidate(String address, boolean v6Only) {
        return new BindRules.Candidate(InetAddress.ofLiteral(address), v6Only);
    }
}
