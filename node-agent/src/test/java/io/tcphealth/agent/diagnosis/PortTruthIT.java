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
import io.tcphealth.agent.socket.TcpState;
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
        // Two devices of the namespace's own (a veth pair with both ends inside) for SO_BINDTODEVICE.
        ns.exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ns.exec("ip", "link", "set", "v0", "up");
        ns.exec("ip", "link", "set", "v1", "up");
        ns.socklab("-r", "listen", "0.0.0.0", 9211); // a SO_REUSEPORT listener of root
        ns.socklab("-r", "-u", NOBODY, "listen", "0.0.0.0", 9212); // one of another user
        ns.socklab("-d", "v0", "listen", "0.0.0.0", 9213); // a listener bound to a device
        ns.socklab("-r", "closewait", "127.0.0.1", 9214, 1); // CLOSE_WAIT accepted from a SO_REUSEPORT listener
        ns.socklab("-n", "-r", "-u", NOBODY, "closewait", "127.0.0.1", 9215, 1); // the same, another user, no reuse
        ns.socklab("-n", "-d", "v0", "bound", "0.0.0.0", 9216); // bound only, to a device, no SO_REUSEADDR
        ns.socklab("-r", "-c", "timewait", "127.0.0.1", 9217, 1); // TIME_WAIT of a SO_REUSEPORT listener
        ns.socklab("-n", "closewait", "127.0.0.1", 9218, 1); // CLOSE_WAIT accepted from a listener without reuse
        ns.socklab("-r", "listen", "::", 9219); // a SO_REUSEPORT group of two dual-stack listeners
        ns.socklab("-r", "listen", "::", 9219);
    }

    private static final int NOBODY = 65534;
    private static final int FIRST = 9201;
    private static final int LAST = 9219;
    /** Ports held by TIME_WAIT alone, and whether the socket it was had SO_REUSEADDR (known to the test only). */
    private static final java.util.Map<Integer, Boolean> TIME_WAIT_HAD_REUSEADDR =
            java.util.Map.of(9204, false, 9205, true, 9217, true);

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
                .socketOptions(new io.tcphealth.agent.scan.PidfdSocketOptions(new Libc()))
                .scan(ScanScope.HOST, ports);
    }

    private static Set<Integer> allPorts() {
        Set<Integer> ports = new java.util.HashSet<>();
        for (int p = FIRST; p <= LAST; p++) {
            ports.add(p);
        }
        return ports;
    }

    /**
     * Every verdict against a real bind() and listen() in the same namespace, for every address and family and
     * every mix of SO_REUSEADDR, SO_REUSEPORT (as root and as another user) and SO_BINDTODEVICE, beside every
     * population above: 19 ports x 9 addresses x 10 option sets. The options of the sockets there are read from
     * their owners' descriptors; only TIME_WAIT sockets, which have none, may leave a verdict unknown.
     */
    @Test
    void everyVerdictIsWhatBindDoes() throws Exception {
        NodeScan scan = scan(allPorts());
        NamespaceScanView host = new NamespaceScanView(scan);
        List<BindRules.Candidate> addresses = List.of(
                candidate("0.0.0.0", false),
                candidate("127.0.0.1", false),
                candidate("127.0.0.2", false),
                candidate("127.0.0.6", false),
                candidate("::", false),
                candidate("::", true),
                candidate("::1", true),
                candidate("::ffff:127.0.0.1", false),
                candidate("::ffff:127.0.0.2", false));
        List<String> optionSets = List.of(
                "-",
                "reuseaddr",
                "reuseport",
                "reuseaddr,reuseport",
                "reuseport,uid=" + NOBODY,
                "reuseaddr,reuseport,uid=" + NOBODY,
                "dev=v0",
                "dev=v1",
                "reuseaddr,dev=v1",
                "reuseport,dev=v1,uid=" + NOBODY);
        List<String> attempts = new java.util.ArrayList<>();
        List<BindRules.Verdict> verdicts = new java.util.ArrayList<>();
        List<String> what = new java.util.ArrayList<>();
        for (int port = FIRST; port <= LAST; port++) {
            List<BindRules.Existing> onPort = host.onPort(port);
            assertThat(onPort).as("sockets on %d", port).isNotEmpty();
            for (BindRules.Candidate a : addresses) {
                for (String set : optionSets) {
                    BindRules.Candidate c = a.with(options(set));
                    String opts = a.v6Only() ? (set.equals("-") ? "v6only" : set + ",v6only") : set;
                    attempts.add(opts + " " + a.address().getHostAddress() + " " + port);
                    verdicts.add(BindRules.judge(c, onPort));
                    what.add(c.text(port) + " with " + c.options().text() + " beside "
                            + onPort.stream().map(BindRules.Existing::text).toList());
                }
            }
        }
        List<String> results = ns.socklabBatch(attempts);
        int unknown = 0;
        int addressChecks = 0;
        for (int i = 0; i < attempts.size(); i++) {
            BindRules.Verdict v = verdicts.get(i);
            String real = results.get(i);
            int port =
                    Integer.parseInt(attempts.get(i).substring(attempts.get(i).lastIndexOf(' ') + 1));
            if (attempts.get(i).contains("dev=") && attempts.get(i).contains(" 0:0:0:0:0:0:0:1 ")) {
                // A specific IPv6 address bound to a device must be on that device: the kernel checks the address
                // before the port, so this is a question the port's verdict does not answer.
                assertThat(real).as(what.get(i)).isEqualTo("listen EADDRNOTAVAIL at bind");
                addressChecks++;
                continue;
            }
            switch (v.outcome()) {
                case BINDS -> assertThat(real).as(what.get(i)).isEqualTo("listen ok");
                case EADDRINUSE -> assertThat(real).as(what.get(i)).isEqualTo("listen EADDRINUSE at bind");
                case UNKNOWN -> {
                    unknown++;
                    // Only TIME_WAIT sockets' flags, and the port's bind cache beside device-bound sockets, are hidden.
                    assertThat(v.unknowns())
                            .as(what.get(i))
                            .allMatch(u -> (u.contains("TIME_WAIT") && TIME_WAIT_HAD_REUSEADDR.containsKey(port))
                                    || u.contains("bind cache"));
                    assertThat(real).as(what.get(i)).isIn("listen ok", "listen EADDRINUSE at bind");
                }
            }
        }
        assertThat(attempts).hasSize(19 * 9 * 10);
        assertThat(addressChecks).isEqualTo(19 * 4);
        assertThat(unknown).as("verdicts left unknown").isPositive();

        // What the kernel's own tools show agrees with what the verdicts were decided from.
        BindRules.Existing group = host.onPort(9211).getFirst();
        assertThat(group.reusePort()).isTrue();
        assertThat(group.reuseAddr()).isTrue();
        assertThat(ns.ss("-e", "state", "listening", "( sport = :9212 )"))
                .singleElement()
                .satisfies(l -> assertThat(l).contains("uid:" + NOBODY));
        assertThat(host.onPort(9212).getFirst().socket().uid()).isEqualTo(NOBODY);
        assertThat(ns.ss("state", "listening", "( sport = :9213 )"))
                .singleElement()
                .satisfies(l -> assertThat(l).contains("%v0:9213"));
        assertThat(host.onPort(9213).getFirst().device()).isEqualTo("v0");
        assertThat(host.onPort(9213).getFirst().socket().boundInterface()).isPositive();
        BindRules.Existing accepted = host.onPort(9214).stream()
                .filter(e -> e.socket().state() == TcpState.CLOSE_WAIT)
                .findFirst()
                .orElseThrow();
        assertThat(accepted.reusePort())
                .as("an accepted socket has its listener's SO_REUSEPORT")
                .isTrue();

        // The verdicts the kernel's flags decide, which sock_diag alone could not tell.
        assertThat(judge(9211, "0.0.0.0", "reuseport,uid=0")).isEqualTo(BindRules.Outcome.BINDS);
        assertThat(judge(9211, "0.0.0.0", "reuseport,uid=" + NOBODY)).isEqualTo(BindRules.Outcome.EADDRINUSE);
        assertThat(BindRules.judge(
                                candidate("0.0.0.0", false).with(new BindRules.Options(false, true, null, null)),
                                host.onPort(9211))
                        .unknowns())
                .as("SO_REUSEPORT without a user said: the group's user decides")
                .singleElement()
                .satisfies(u -> assertThat(u).contains("belongs to uid 0"));
        assertThat(judge(9212, "0.0.0.0", "reuseport,uid=" + NOBODY)).isEqualTo(BindRules.Outcome.BINDS);
        assertThat(judge(9213, "0.0.0.0", "dev=v1")).isEqualTo(BindRules.Outcome.BINDS);
        assertThat(judge(9213, "0.0.0.0", "reuseaddr,dev=v0")).isEqualTo(BindRules.Outcome.EADDRINUSE);
        assertThat(judge(9213, "0.0.0.0", "-")).isEqualTo(BindRules.Outcome.EADDRINUSE);
        assertThat(judge(9218, "0.0.0.0", "reuseaddr")).isEqualTo(BindRules.Outcome.EADDRINUSE);
        assertThat(judge(9201, "0.0.0.0", "reuseaddr")).isEqualTo(BindRules.Outcome.BINDS);
        assertThat(judge(9219, "::", "reuseport,uid=0")).isEqualTo(BindRules.Outcome.BINDS);
    }

    private static BindRules.Outcome judge(int port, String address, String options) throws Exception {
        List<BindRules.Existing> onPort = new NamespaceScanView(scan(Set.of(port))).onPort(port);
        return BindRules.judge(candidate(address, false).with(options(options)), onPort)
                .outcome();
    }

    /** The options of a trybatch line ("reuseaddr,reuseport,uid=0,dev=v1"), uid 0 where not said (the test's own). */
    private static BindRules.Options options(String set) {
        boolean reuseAddr = false;
        boolean reusePort = false;
        String device = null;
        Integer uid = 0;
        if (!set.equals("-")) {
            for (String o : set.split(",")) {
                if (o.equals("reuseaddr")) {
                    reuseAddr = true;
                } else if (o.equals("reuseport")) {
                    reusePort = true;
                } else if (o.startsWith("dev=")) {
                    device = o.substring(4);
                } else if (o.startsWith("uid=")) {
                    uid = Integer.parseInt(o.substring(4));
                }
            }
        }
        return new BindRules.Options(reuseAddr, reusePort, device, uid);
    }

    /** The host namespace's sockets on a port with what the scan read of them. */
    private record NamespaceScanView(NodeScan scan) {
        List<BindRules.Existing> onPort(int port) {
            return BindAnswers.onPort(scan, scan.host().orElseThrow(), port);
        }
    }

    @Test
    void theFindingNamesTheAddressFamilyAndWhatTheKernelDoesNotSay() throws Exception {
        List<Finding> findings = new Diagnoser()
                .diagnose(
                        scan(Set.of(9202, 9204, 9206)),
                        new SocketAges(),
                        new DiagnosisSettings(DiagnosisThresholds.DEFAULTS, List.of(9202, 9204, 9206)));

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
                        new DiagnosisSettings(DiagnosisThresholds.DEFAULTS, List.of(9201)));
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
                        new DiagnosisSettings(DiagnosisThresholds.DEFAULTS, List.of(9210)));
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
                        new DiagnosisSettings(DiagnosisThresholds.DEFAULTS, List.of(9210)));
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
