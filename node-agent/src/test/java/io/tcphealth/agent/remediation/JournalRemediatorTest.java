package io.tcphealth.agent.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.policy.EffectivePolicy;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.ActionKind;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.EffectiveRemediation;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.SysctlSetting;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remediation step of every round with its journal, here driven by a TcpHealthNode spec; sysctls faked. */
class JournalRemediatorTest {
    @TempDir
    Path dir;

    private final Map<SysctlKey, Long> kernel = new HashMap<>(Map.of(SysctlKey.TCP_KEEPALIVE_TIME, 7200L));
    private final SysctlAccess sysctls = new SysctlAccess() {
        @Override
        public long read(NetNamespace namespace, Path root, SysctlKey key) {
            return kernel.getOrDefault(key, 0L);
        }

        @Override
        public void write(NetNamespace namespace, Path root, SysctlKey key, long value) {
            kernel.put(key, value);
        }
    };

    @Test
    void anEnforcedSpecIsJournaledHeldAndPutBackWhenItsPolicyDeparts() throws Exception {
        Clock clock = Clock.systemUTC();
        // The namespace this test runs in, so the journal's namespace lookup finds it again.
        NetNamespace host =
                new NetNamespace(NamespaceExecutor.currentInode(), Path.of("/proc/self/ns/net"), true, List.of());
        NodeScan scan = new NodeScan(
                Instant.now(),
                1,
                "test",
                List.of(new NamespaceScan(
                        host, List.of(), new SockStat(0, 0, 0, 0, 0), new TcpSysctls(65536, 7200, 75, 9, 60, 0))),
                Map.of(),
                Map.of(),
                List.of());
        EventLog log = new EventLog(new PrintWriter(new StringWriter()), clock);
        try (Journal journal = Journal.open(dir, clock)) {
            RemediationMemory memory = new RemediationMemory();
            Remediator remediator = new Remediator(
                    journal,
                    sysctls,
                    (ns, s) -> {},
                    new io.tcphealth.agent.remediation.ProcessSignals() {
                        @Override
                        public long startTicks(int pid) {
                            return -1;
                        }

                        @Override
                        public void signal(int pid, int signal) {}
                    },
                    (namespaces, ports) -> 0,
                    new NamespaceLocator(dir, null),
                    memory,
                    PauseHook.NONE,
                    log,
                    clock,
                    Duration.ZERO);
            JournalRemediator remediation = new JournalRemediator(
                    journal, remediator, sysctls, new SysctlRoots(dir, dir), memory, clock, log::info);

            TcpHealthNodeSpec spec = new TcpHealthNodeSpec();
            spec.setPolicies(List.of("keepalive"));
            spec.setSysctls(List.of(new SysctlSetting("net.ipv4.tcp_keepalive_time", 600L, "keepalive")));
            EffectiveRemediation r = new EffectiveRemediation();
            r.setMode(new Sourced<>(RemediationMode.Enforce, "keepalive"));
            spec.setRemediation(r);
            spec.setRestoreOnDelete(List.of(new PolicyRestore("keepalive", true)));
            AgentPolicy policy = new EffectivePolicy().of(spec);

            RoundRemedy remedy = remediation.act(policy, scan, new SocketAges(), List.of());
            assertThat(kernel).containsEntry(SysctlKey.TCP_KEEPALIVE_TIME, 600L);
            assertThat(remedy.actions()).anySatisfy(a -> {
                assertThat(a.getKind()).isEqualTo(ActionKind.SetSysctl);
                assertThat(a.getResult()).isEqualTo(ActionResult.Done);
            });
            assertThat(remedy.sysctls()).anySatisfy(s -> {
                assertThat(s.getName()).isEqualTo("net.ipv4.tcp_keepalive_time");
                assertThat(s.getObserved()).isEqualTo(600L);
                assertThat(s.getOriginal()).isEqualTo(7200L);
            });
            assertThat(remedy.held()).containsExactly("keepalive");
            assertThat(remedy.podNamespaceChanges())
                    .as("a change in the host's namespace needs no setns")
                    .isZero();

            TcpHealthNodeSpec leaving = new TcpHealthNodeSpec();
            leaving.setDepartingPolicies(List.of(new PolicyRestore("keepalive", true)));
            remediation.restoreDeparting(Set.of("keepalive"));
            assertThat(kernel).containsEntry(SysctlKey.TCP_KEEPALIVE_TIME, 7200L);
            RoundRemedy after = remediation.act(new EffectivePolicy().of(leaving), scan, new SocketAges(), List.of());
            assertThat(after.held())
                    .as("nothing of it is held: the agent confirms the departure")
                    .isEmpty();
        }
    }

    @Test
    void changesInsidePodNamespacesAreCountedForTheCapabilityTheirRestoreNeeds() {
        Change host = change("host", Change.Lifetime.PERSISTENT);
        Change pod = change("netns:[4026532901]", Change.Lifetime.PERSISTENT);
        Change otherPod = change("netns:[4026532902]", Change.Lifetime.PERSISTENT);

        assertThat(JournalRemediator.podNamespaceChanges(List.of(host))).isZero();
        assertThat(JournalRemediator.podNamespaceChanges(List.of(host, pod, otherPod)))
                .isEqualTo(2);
    }

    private static Change change(String netns, Change.Lifetime lifetime) {
        return new Change(
                1,
                SysctlKey.TCP_KEEPALIVE_TIME,
                netns,
                Path.of("/proc/1/ns/net"),
                1,
                List.of(1),
                Path.of("/proc/sys"),
                7200,
                600,
                "p",
                lifetime,
                true,
                Instant.EPOCH);
    }
}
