package io.tcphealth.agent.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.DiagnosisThresholds;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.ActionKind;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.testsupport.TestNetns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remediation against the real kernel, in private namespaces: sysctls written and put back, sockets
 * destroyed with SOCK_DESTROY, the orphan pulse against a temporary sysctl root, zombies' parents
 * signalled. The namespace under test counts as the host's.
 */
class RemediationIT {
    private static final Duration OLD = Duration.ofHours(1);

    @TempDir
    Path tmp;

    /** Every socket counts as long stuck; zombies only under the given parents. */
    private static Ages oldSocketsAndZombiesOf(Set<Integer> parents) {
        return new Ages() {
            @Override
            public Duration socketAge(NetNamespace namespace, TcpSocket socket) {
                return OLD;
            }

            @Override
            public Duration zombieAge(ProcessInfo process) {
                return parents.contains(process.ppid()) ? OLD : null;
            }
        };
    }

    private static AgentPolicy policy(
            RemediationMode mode,
            Map<SysctlKey, Long> sysctls,
            AgentPolicy.KillRule kill,
            AgentPolicy.PulseRule pulse,
            AgentPolicy.ZombieRule zombies,
            List<Integer> ports) {
        return new AgentPolicy(
                "it",
                Duration.ofSeconds(30),
                ScanScope.HOST,
                ports,
                DiagnosisThresholds.DEFAULTS,
                sysctls,
                mode,
                kill,
                pulse,
                zombies,
                true);
    }

    private Path globalRoot(long maxOrphans) throws Exception {
        Path root = tmp.resolve("sys");
        Files.createDirectories(root.resolve("net/ipv4"));
        Files.writeString(SysctlKey.TCP_MAX_ORPHANS.resolve(root), maxOrphans + "\n");
        return root;
    }

    @Test
    void keepaliveAndFinTimeoutAreAppliedReadBackAndRestoredWhenThePolicyGoes() throws Exception {
        try (TestNetns ns = TestNetns.create();
                KernelRig rig = new KernelRig(ns, tmp.resolve("journal"), globalRoot(65536))) {
            String before = ns.exec(
                    "sysctl",
                    "-n",
                    "net.ipv4.tcp_keepalive_time",
                    "net.ipv4.tcp_keepalive_intvl",
                    "net.ipv4.tcp_keepalive_probes",
                    "net.ipv4.tcp_fin_timeout");
            AgentPolicy tuned = policy(
                    RemediationMode.Enforce,
                    Map.of(
                            SysctlKey.TCP_KEEPALIVE_TIME,
                            600L,
                            SysctlKey.TCP_KEEPALIVE_INTVL,
                            15L,
                            SysctlKey.TCP_KEEPALIVE_PROBES,
                            3L,
                            SysctlKey.TCP_FIN_TIMEOUT,
                            30L),
                    null,
                    null,
                    null,
                    List.of());

            RoundResult applied = rig.round(tuned);

            assertThat(applied.actions())
                    .extracting(RemediationAction::getResult)
                    .containsOnly(ActionResult.Done)
                    .hasSize(4);
            assertThat(ns.exec(
                            "sysctl",
                            "-n",
                            "net.ipv4.tcp_keepalive_time",
                            "net.ipv4.tcp_keepalive_intvl",
                            "net.ipv4.tcp_keepalive_probes",
                            "net.ipv4.tcp_fin_timeout"))
                    .isEqualTo("600\n15\n3\n30\n");
            assertThat(Files.readString(SysctlKey.TCP_KEEPALIVE_TIME.resolve(Path.of("/proc/sys")))
                            .trim())
                    .as("the test's own namespace is untouched")
                    .isNotEqualTo("600");
            assertThat(rig.round(tuned).actions())
                    .as("a second round has nothing left to do")
                    .isEmpty();

            // Something else puts a value back: drift, and enforced again.
            ns.sysctl("net.ipv4.tcp_keepalive_time", 7200);
            RoundResult drift = rig.round(tuned);
            assertThat(drift.findings()).extracting(Finding::type).containsExactly(FindingType.SysctlDrift);
            assertThat(ns.exec("sysctl", "-n", "net.ipv4.tcp_keepalive_time")).isEqualTo("600\n");

            // The policy no longer sets them: every value goes back.
            RoundResult restored = rig.round(policy(RemediationMode.Enforce, Map.of(), null, null, null, List.of()));
            assertThat(restored.actions())
                    .extracting(RemediationAction::getKind)
                    .containsOnly(ActionKind.RestoreSysctl)
                    .hasSize(4);
            assertThat(ns.exec(
                            "sysctl",
                            "-n",
                            "net.ipv4.tcp_keepalive_time",
                            "net.ipv4.tcp_keepalive_intvl",
                            "net.ipv4.tcp_keepalive_probes",
                            "net.ipv4.tcp_fin_timeout"))
                    .isEqualTo(before);
            assertThat(rig.journal.openChanges()).isEmpty();
        }
    }

    @Test
    void withAllNamespacesPerNamespaceKeysAreHeldInPodNamespacesToo() throws Exception {
        try (TestNetns host = TestNetns.create();
                TestNetns pod = TestNetns.create();
                KernelRig rig = new KernelRig(host, tmp.resolve("journal"), globalRoot(65536))) {
            // Only the two test namespaces: a real AllNamespaces scan would include this machine's own.
            NetNamespace hostNs = new NetNamespace(host.inode(), host.path(), true, List.of());
            NetNamespace podNs = new NetNamespace(pod.inode(), pod.path(), false, List.of());
            io.tcphealth.agent.scan.NodeScan scan = new io.tcphealth.agent.scan.NodeScan(
                    java.time.Instant.now(),
                    1,
                    "test",
                    List.of(
                            new NamespaceScan(hostNs, List.of(), null, null),
                            new NamespaceScan(podNs, List.of(), null, null)),
                    Map.of(),
                    Map.of(),
                    List.of());
            AgentPolicy policy = new AgentPolicy(
                    "it",
                    Duration.ofSeconds(30),
                    ScanScope.ALL,
                    List.of(),
                    DiagnosisThresholds.DEFAULTS,
                    Map.of(SysctlKey.TCP_KEEPALIVE_TIME, 600L, SysctlKey.TCP_MAX_ORPHANS, 131072L),
                    RemediationMode.Enforce,
                    null,
                    null,
                    null,
                    true);

            RoundResult r = rig.remediator.enforce(policy, rig.plan(policy, scan));

            assertThat(r.actions())
                    .extracting(RemediationAction::getTarget)
                    .containsExactlyInAnyOrder(
                            "net.ipv4.tcp_keepalive_time in host",
                            "net.ipv4.tcp_keepalive_time in netns:[" + pod.inode() + "]",
                            "net.ipv4.tcp_max_orphans in host");
            assertThat(host.exec("sysctl", "-n", "net.ipv4.tcp_keepalive_time")).isEqualTo("600\n");
            assertThat(pod.exec("sysctl", "-n", "net.ipv4.tcp_keepalive_time")).isEqualTo("600\n");

            assertThat(rig.remediator.replay().replay(c -> true, true)).hasSize(3);
            assertThat(pod.exec("sysctl", "-n", "net.ipv4.tcp_keepalive_time")).isEqualTo("7200\n");
            assertThat(Files.readString(SysctlKey.TCP_MAX_ORPHANS.resolve(tmp.resolve("sys")))
                            .trim())
                    .isEqualTo("65536");
        }
    }

    @Test
    void closeWaitSocketsAreDestroyedTheirOwnerSeesEconnabortedAndOthersAreUntouched() throws Exception {
        try (TestNetns ns = TestNetns.create();
                KernelRig rig = new KernelRig(ns, tmp.resolve("journal"), globalRoot(65536))) {
            TestNetns.Helper watched = ns.socklab("closewait-watch", "127.0.0.1", 9080, 3);
            ns.socklab("closewait", "127.0.0.1", 9090, 2);
            ns.socklab("established", "127.0.0.1", 9081, 2);
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(watched.process().getInputStream(), StandardCharsets.UTF_8));
            rig.ages = oldSocketsAndZombiesOf(Set.of());
            AgentPolicy policy = policy(
                    RemediationMode.Enforce,
                    Map.of(),
                    new AgentPolicy.KillRule(
                            Set.of(TcpState.CLOSE_WAIT), Set.of(9080), Duration.ofMinutes(10), 100, Set.of()),
                    null,
                    null,
                    List.of(9080));

            RoundResult r = rig.round(policy);

            assertThat(r.actions()).hasSize(3).allSatisfy(a -> {
                assertThat(a.getKind()).isEqualTo(ActionKind.KillSocket);
                assertThat(a.getResult()).isEqualTo(ActionResult.Done);
                assertThat(a.getMessage()).contains("owned by pid " + watched.pid() + " (socklab)");
            });
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                errors.add(CompletableFuture.supplyAsync(() -> {
                            try {
                                return out.readLine();
                            } catch (Exception e) {
                                return null;
                            }
                        })
                        .get(10, TimeUnit.SECONDS));
            }
            assertThat(errors).allMatch(l -> l.startsWith("error ") && l.endsWith(" ECONNABORTED"));
            assertThat(ns.ss("state", "close-wait", "( sport = :9080 )")).isEmpty();
            assertThat(ns.ss("state", "close-wait", "( sport = :9090 )")).hasSize(2);
            assertThat(ns.ss("state", "established", "( sport = :9081 or dport = :9081 )"))
                    .hasSize(4);
            assertThat(Files.readString(rig.journal.file())).contains("Destroyed CLOSE_WAIT 127.0.0.1:9080");
        }
    }

    @Test
    void orphanedFinWait1SocketsAreDestroyed() throws Exception {
        try (TestNetns ns = TestNetns.create();
                KernelRig rig = new KernelRig(ns, tmp.resolve("journal"), globalRoot(65536))) {
            ns.sysctl("net.ipv4.tcp_orphan_retries", 2);
            ns.socklab("finwait1", "127.0.0.1", 9085, 2, "server");
            assertThat(ns.ss("state", "fin-wait-1", "( sport = :9085 )")).hasSize(2);
            rig.ages = oldSocketsAndZombiesOf(Set.of());
            AgentPolicy policy = policy(
                    RemediationMode.Enforce,
                    Map.of(),
                    new AgentPolicy.KillRule(
                            Set.of(TcpState.FIN_WAIT1), Set.of(9085), Duration.ofMinutes(10), 100, Set.of()),
                    null,
                    null,
                    List.of(9085));

            RoundResult r = rig.round(policy);

            assertThat(r.actions())
                    .hasSize(2)
                    .allSatisfy(a -> assertThat(a.getMessage()).contains("orphaned (no owner)"));
            assertThat(ns.ss("state", "fin-wait-1", "( sport = :9085 )")).isEmpty();
        }
    }

    @Test
    void thePulseSetsTheLimitToZeroWatchesAndPutsTheOriginalBack() throws Exception {
        Path root = globalRoot(65536);
        try (TestNetns ns = TestNetns.create();
                KernelRig rig = new KernelRig(ns, tmp.resolve("journal"), root)) {
            ns.sysctl("net.ipv4.tcp_orphan_retries", 2);
            ns.socklab("finwait1", "127.0.0.1", 9085, 2, "server");
            rig.ages = oldSocketsAndZombiesOf(Set.of());
            AgentPolicy policy = policy(
                    RemediationMode.Enforce,
                    Map.of(),
                    null,
                    new AgentPolicy.PulseRule(0, Duration.ofMillis(800), Duration.ofMinutes(10)),
                    null,
                    List.of(9085));

            RoundResult r = rig.round(policy);

            // The temporary root is not the kernel's: the orphans stay, the pulse ends at maxDuration.
            assertThat(r.actions()).singleElement().satisfies(a -> {
                assertThat(a.getKind()).isEqualTo(ActionKind.FlushOrphans);
                assertThat(a.getResult()).isEqualTo(ActionResult.Done);
                assertThat(a.getMessage()).contains("0 of 2").contains("put back to 65536");
            });
            assertThat(Files.readString(SysctlKey.TCP_MAX_ORPHANS.resolve(root)).trim())
                    .isEqualTo("65536");
            assertThat(rig.log.toString())
                    .contains("Set net.ipv4.tcp_max_orphans to 0 (was 65536)")
                    .contains("Restored net.ipv4.tcp_max_orphans in host to 65536");
            assertThat(rig.journal.openChanges()).isEmpty();
            assertThat(rig.round(policy).actions())
                    .as("one pulse, then a cool-down")
                    .isEmpty();
        }
    }

    @Test
    void aParentThatReapsOnSigchldLosesItsZombiesOneThatIgnoresItKeepsThem() throws Exception {
        try (TestNetns ns = TestNetns.create();
                KernelRig rig = new KernelRig(ns, tmp.resolve("journal"), globalRoot(65536))) {
            TestNetns.Helper reaper = ns.socklab("zombies", 3, "reap");
            TestNetns.Helper ignorer = ns.socklab("zombies", 2);
            rig.ages = oldSocketsAndZombiesOf(Set.of(reaper.pid(), ignorer.pid()));
            AgentPolicy policy = policy(
                    RemediationMode.Enforce,
                    Map.of(),
                    null,
                    null,
                    new AgentPolicy.ZombieRule(Duration.ofMinutes(5)),
                    List.of());

            RoundResult r = rig.round(policy);

            assertThat(r.actions())
                    .extracting(RemediationAction::getTarget)
                    .containsExactlyInAnyOrder(
                            "pid " + reaper.pid() + " (socklab)", "pid " + ignorer.pid() + " (socklab)");
            assertThat(r.actions())
                    .anySatisfy(a -> assertThat(a.getMessage())
                            .startsWith("Sent SIGCHLD to pid " + reaper.pid())
                            .contains("3 of 3 zombies reaped"));
            assertThat(r.actions())
                    .anySatisfy(a -> assertThat(a.getMessage())
                            .startsWith("Sent SIGCHLD to pid " + ignorer.pid())
                            .contains("0 of 2 zombies reaped"));
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.pid()).isEqualTo(ignorer.pid());
                assertThat(f.nextStep()).contains("shareProcessNamespace");
            });
            assertThat(zombiesUnder(ns, reaper.pid())).isZero();
            assertThat(zombiesUnder(ns, ignorer.pid())).isEqualTo(2);
        }
    }

    /** Zombies under a parent, as ps sees them. */
    private static long zombiesUnder(TestNetns ns, int parent) throws Exception {
        return ns.exec("ps", "-e", "-o", "ppid=,stat=")
                .lines()
                .map(String::trim)
                .filter(l ->
                        l.startsWith(parent + " ") && l.endsWith("Z") || l.startsWith(parent + " ") && l.contains(" Z"))
                .count();
    }

    @Test
    void dryRunChangesNothingAndListsExactlyWhatEnforceThenDoes() throws Exception {
        try (TestNetns ns = TestNetns.create();
                KernelRig rig = new KernelRig(ns, tmp.resolve("journal"), globalRoot(65536))) {
            ns.socklab("closewait", "127.0.0.1", 9080, 3);
            ns.socklab("closewait", "127.0.0.1", 9090, 2);
            rig.ages = oldSocketsAndZombiesOf(Set.of());
            AgentPolicy.KillRule kill = new AgentPolicy.KillRule(
                    Set.of(TcpState.CLOSE_WAIT), Set.of(9080), Duration.ofMinutes(10), 2, Set.of());
            Map<SysctlKey, Long> sysctls = Map.of(SysctlKey.TCP_KEEPALIVE_TIME, 600L, SysctlKey.TCP_FIN_TIMEOUT, 30L);

            RoundResult dry = rig.round(policy(RemediationMode.DryRun, sysctls, kill, null, null, List.of(9080)));

            assertThat(dry.actions())
                    .extracting(RemediationAction::getResult)
                    .containsOnly(ActionResult.DryRun)
                    .hasSize(4);
            assertThat(ns.exec("sysctl", "-n", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout"))
                    .isEqualTo("7200\n60\n");
            assertThat(ns.ss("state", "close-wait")).hasSize(5);
            assertThat(rig.journal.openChanges()).isEmpty();

            RoundResult enforced = rig.round(policy(RemediationMode.Enforce, sysctls, kill, null, null, List.of(9080)));

            assertThat(enforced.actions())
                    .extracting(RemediationAction::getResult)
                    .containsOnly(ActionResult.Done);
            assertThat(enforced.actions())
                    .extracting(a -> a.getKind() + " " + a.getTarget() + " " + a.getMessage())
                    .containsExactlyElementsOf(dry.actions().stream()
                            .map(a -> a.getKind() + " " + a.getTarget() + " " + a.getMessage())
                            .toList());
            assertThat(ns.ss("state", "close-wait", "( sport = :9080 )")).hasSize(1);
        }
    }
}
