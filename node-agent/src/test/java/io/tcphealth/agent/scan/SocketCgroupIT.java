package io.tcphealth.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.diagnosis.Diagnoser;
import io.tcphealth.agent.diagnosis.DiagnosisSettings;
import io.tcphealth.agent.diagnosis.DiagnosisThresholds;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.proc.CgroupTree;
import io.tcphealth.agent.proc.ContainerRef;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.proc.SocketOwnerCache;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.testsupport.Commands;
import io.tcphealth.testsupport.TestNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The socket's cgroup from sock_diag ({@code INET_DIAG_CGROUP_ID}) against the kernel's real cgroup v2 hierarchy,
 * mounted by the test at a folder of its own (a machine with only cgroup v1 mounted still has it), with a cgroup of
 * the test's that a helper joins before it makes its sockets. Both, and the mount, are removed afterwards.
 */
class SocketCgroupIT {

    private static Path mount;
    private static Path cgroup;
    private static TestNetns ns;

    @BeforeAll
    static void mountTheHierarchy() throws IOException {
        mount = Files.createTempDirectory("tcphealth-cgroup2-");
        Commands.run("mount", "-t", "cgroup2", "none", mount.toString());
        cgroup = Files.createDirectory(mount.resolve("tcphealth-test-" + UUID.randomUUID()));
        ns = TestNetns.create();
    }

    @AfterAll
    static void removeIt() throws Exception {
        if (ns != null) {
            ns.close();
        }
        if (cgroup != null && Files.exists(cgroup)) {
            // The test's cgroups, deepest first; rmdir fails with EBUSY while a helper is still ending in one.
            List<Path> dirs;
            try (var walk = Files.walk(cgroup)) {
                dirs = walk.filter(Files::isDirectory)
                        .sorted(java.util.Comparator.comparingInt(Path::getNameCount)
                                .reversed())
                        .toList();
            }
            for (Path dir : dirs) {
                for (int i = 0; i < 50 && Files.exists(dir); i++) {
                    try {
                        Files.delete(dir);
                    } catch (IOException e) {
                        Thread.sleep(100);
                    }
                }
            }
        }
        if (mount != null) {
            Commands.run("umount", mount.toString());
            Files.delete(mount);
        }
    }

    private static NodeScanner scanner(Path cgroupRoot) {
        return RealScanners.scanner(ns, OwnerAttribution.CACHE_BETWEEN_SCANS).cgroupRoot(cgroupRoot);
    }

    private static long inode(Path dir) throws IOException {
        return ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
    }

    @Test
    void eachSocketNamesTheCgroupOfTheProcessThatMadeIt() throws Exception {
        TestNetns.Helper inside = ns.socklabInCgroup(cgroup, "closewait", "127.0.0.1", 9177, 3, 100);
        TestNetns.Helper outside = ns.socklab("closewait", "127.0.0.1", 9178, 2, 100);
        try {
            NodeScan scan = scanner(mount).scan(ScanScope.HOST, Set.of());
            List<TcpSocket> closeWait = scan.host().orElseThrow().sockets().stream()
                    .filter(s -> s.state() == TcpState.CLOSE_WAIT)
                    .toList();
            long id = inode(cgroup);
            assertThat(closeWait)
                    .filteredOn(s -> s.localPort() == 9177)
                    .hasSize(3)
                    .allSatisfy(s -> assertThat(s.cgroupId()).isEqualTo(id));
            assertThat(closeWait)
                    .filteredOn(s -> s.localPort() == 9178)
                    .hasSize(2)
                    .allSatisfy(s -> assertThat(s.cgroupId())
                            .as("made in the hierarchy's root")
                            .isEqualTo(inode(mount)));

            CgroupTree tree = CgroupTree.at(mount).orElseThrow();
            String path = "/" + cgroup.getFileName();
            assertThat(tree.paths(Set.of(id))).containsEntry(id, path);
            assertThat(tree.pidsIn(Set.of(id))).containsExactly(inside.pid());
            assertThat(tree.pidsIn(Set.of(inode(mount))))
                    .as("the root holds every process here: it tells nothing")
                    .isEmpty();
            // ss resolves the same id to the same path.
            String ss = ns.exec("ss", "-tan", "--cgroup", "state", "close-wait", "( sport = :9177 )");
            assertThat(ss.lines().filter(l -> l.contains("cgroup:" + path))).hasSize(3);
        } finally {
            inside.kill();
            outside.kill();
        }
    }

    @Test
    void theProcessesOfTheSocketsCgroupAreReadFirst() throws Exception {
        // A listener in the test's cgroup, and more processes than there are fd readers holding quiet clients of it:
        // bigger fd tables than the listener's, and nothing worth reporting.
        TestNetns.Helper server = ns.socklabInCgroup(cgroup, "listen", "127.0.0.1", 9179);
        List<TestNetns.Helper> clients = new ArrayList<>();
        try {
            for (int i = 0; i <= NodeScanner.FD_READERS; i++) {
                clients.add(ns.socklab("connect", "127.0.0.1", 9179, 400 - 10 * i));
            }
            int ancestors = RealScanners.ancestors(server.pid());

            NodeScanner byCgroup = scanner(mount);
            NodeScan scan = byCgroup.scan(ScanScope.HOST, Set.of());
            TcpSocket listener = scan.host().orElseThrow().sockets().stream()
                    .filter(s -> s.state() == TcpState.LISTEN && s.localPort() == 9179)
                    .findFirst()
                    .orElseThrow();
            assertThat(scan.ownersOf(listener.inode()))
                    .extracting(SocketOwner::pid)
                    .containsExactly(server.pid());
            SocketOwnerCache.Stats first = byCgroup.lastOwnerCacheStats().orElseThrow();
            assertThat(first.processesRead())
                    .as(
                            "the listener's process first (with at most FD_READERS - 1 beside it), then its ancestors: %s",
                            first)
                    .isLessThanOrEqualTo(NodeScanner.FD_READERS + ancestors);

            NodeScanner withoutCgroups = scanner(mount.resolve("no-such-hierarchy"));
            withoutCgroups.scan(ScanScope.HOST, Set.of());
            SocketOwnerCache.Stats blind = withoutCgroups.lastOwnerCacheStats().orElseThrow();
            assertThat(blind.processesRead())
                    .as(
                            "without the cgroup, the bigger fd tables come first: every client, then the listener: %s",
                            blind)
                    .isEqualTo(clients.size() + 1 + ancestors);
        } finally {
            server.kill();
            for (TestNetns.Helper c : clients) {
                c.kill();
            }
        }
    }

    @Test
    void orphansNameTheContainerWhoseCgroupMadeThem() throws Exception {
        String container = "4e3f0c1b2a39d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3";
        String pod = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
        // The cgroup a containerd container of a Kubernetes pod gets with the systemd driver.
        Path scope = Files.createDirectories(
                cgroup.resolve("kubepods.slice/kubepods-pod" + pod + ".slice/cri-containerd-" + container + ".scope"));
        // Two connections whose client ends are closed with their FIN stuck behind unread data: orphans.
        TestNetns.Helper helper = ns.socklabInCgroup(scope, "finwait1", "127.0.0.1", 9182, 2);
        try {
            NodeScan scan = scanner(mount).scan(ScanScope.HOST, Set.of());
            List<TcpSocket> orphans = scan.host().orElseThrow().sockets().stream()
                    .filter(s -> s.state() == TcpState.FIN_WAIT1 && s.remotePort() == 9182)
                    .toList();
            assertThat(orphans).hasSize(2).allSatisfy(s -> {
                assertThat(s.inode()).as("no process holds it").isZero();
                assertThat(scan.orphanContainer(s)).contains(new ContainerRef("containerd", container, pod));
            });

            List<Finding> findings = new Diagnoser()
                    .diagnose(scan, new SocketAges(), new DiagnosisSettings(DiagnosisThresholds.DEFAULTS, List.of()));
            assertThat(findings)
                    .filteredOn(f -> f.type() == FindingType.FinWait1Stuck
                            && Integer.valueOf(9182).equals(f.port()))
                    .singleElement()
                    .satisfies(f -> {
                        assertThat(f.pid()).as("an orphan has no process").isNull();
                        assertThat(f.containerId()).isEqualTo(container);
                        assertThat(f.podUid()).isEqualTo(pod);
                        assertThat(f.message()).contains("made in container " + container.substring(0, 12));
                    });
        } finally {
            helper.kill();
        }
    }
}
