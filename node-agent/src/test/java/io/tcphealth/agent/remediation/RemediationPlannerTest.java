package io.tcphealth.agent.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.RemediationMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RemediationPlannerTest {
    private static final Path SYS = Path.of("/proc/sys");
    private static final SysctlRoots ROOTS = new SysctlRoots(SYS, Path.of("/tmp/global"));
    private static final Duration OLD = Duration.ofMinutes(20);

    private final RemediationPlanner planner = new RemediationPlanner();
    private final Fixture f = new Fixture();
    private final RemediationMemory memory = new RemediationMemory();

    private Plan plan(AgentPolicy policy, List<SysctlObservation> sysctls, List<Change> open) {
        return planner.plan(new RemediationPlanner.Input(
                policy, f.scan(), f.ages(), List.of(), sysctls, open, memory, ROOTS, Fixture.NOW));
    }

    private Plan plan(AgentPolicy policy) {
        return plan(policy, List.of(), List.of());
    }

    private static SysctlObservation seen(SysctlKey key, long value) {
        return new SysctlObservation(Fixture.HOST, SYS, key, value, null);
    }

    private static Change open(SysctlKey key, long original, long target, boolean restoreOnDelete) {
        return new Change(
                1,
                key,
                "host",
                Path.of("/run/netns/h"),
                Fixture.HOST.inode(),
                List.of(),
                SYS,
                original,
                target,
                "p",
                Change.Lifetime.PERSISTENT,
                restoreOnDelete,
                Fixture.NOW);
    }

    @Test
    void observeModePlansNothing() {
        f.socket(TcpState.CLOSE_WAIT, 9080, 40000, 10, OLD);
        Plan p = plan(Policies.with(RemediationMode.Observe, Policies.kill(10, TcpState.CLOSE_WAIT), null, null));
        assertThat(p.actions()).isEmpty();
    }

    @Test
    void observeModePutsBackWhatWasTunedBefore() {
        Change c = open(SysctlKey.TCP_FIN_TIMEOUT, 60, 30, true);
        AgentPolicy observe = Policies.sysctls(RemediationMode.Observe, Map.of(SysctlKey.TCP_FIN_TIMEOUT, 30L));
        Plan p = plan(observe, List.of(seen(SysctlKey.TCP_FIN_TIMEOUT, 30)), List.of(c));

        assertThat(p.actions())
                .singleElement()
                .isInstanceOfSatisfying(
                        PlannedAction.RestoreSysctl.class,
                        r -> assertThat(r.reason()).contains("Observe mode"));
    }

    @Test
    void sysctlsThatDifferAreSetAndEqualOnesLeftAlone() {
        AgentPolicy policy = Policies.sysctls(
                RemediationMode.Enforce, Map.of(SysctlKey.TCP_KEEPALIVE_TIME, 600L, SysctlKey.TCP_FIN_TIMEOUT, 30L));
        Plan p = plan(
                policy,
                List.of(seen(SysctlKey.TCP_KEEPALIVE_TIME, 7200), seen(SysctlKey.TCP_FIN_TIMEOUT, 30)),
                List.of());

        assertThat(p.actions())
                .singleElement()
                .isEqualTo(
                        new PlannedAction.SetSysctl(Fixture.HOST, SYS, SysctlKey.TCP_KEEPALIVE_TIME, 7200, 600, false));
    }

    @Test
    void perNamespaceKeysAreHeldInEveryNamespaceScannedAndHostWideOnesOnlyOnTheHost() {
        io.tcphealth.agent.netns.NetNamespace pod = new io.tcphealth.agent.netns.NetNamespace(
                4026532999L, Path.of("/proc/300/ns/net"), false, List.of(300));
        AgentPolicy policy = Policies.sysctls(
                RemediationMode.Enforce,
                Map.of(SysctlKey.TCP_KEEPALIVE_TIME, 600L, SysctlKey.TCP_MAX_ORPHANS, 131072L));
        Plan p = plan(
                policy,
                List.of(
                        seen(SysctlKey.TCP_KEEPALIVE_TIME, 7200),
                        new SysctlObservation(pod, SYS, SysctlKey.TCP_KEEPALIVE_TIME, 7200L, null),
                        new SysctlObservation(Fixture.HOST, ROOTS.global(), SysctlKey.TCP_MAX_ORPHANS, 65536L, null),
                        new SysctlObservation(pod, ROOTS.global(), SysctlKey.TCP_MAX_ORPHANS, 65536L, null)),
                List.of());

        assertThat(p.actions())
                .extracting(PlannedAction::target)
                .containsExactly(
                        "net.ipv4.tcp_keepalive_time in host",
                        "net.ipv4.tcp_keepalive_time in netns:[4026532999]",
                        "net.ipv4.tcp_max_orphans in host");
    }

    @Test
    void aValueChangedBackAfterTcphealthSetItIsDrift() {
        AgentPolicy policy = Policies.sysctls(RemediationMode.Enforce, Map.of(SysctlKey.TCP_KEEPALIVE_TIME, 600L));
        Plan p = plan(
                policy,
                List.of(seen(SysctlKey.TCP_KEEPALIVE_TIME, 7200)),
                List.of(open(SysctlKey.TCP_KEEPALIVE_TIME, 7200, 600, true)));

        assertThat(p.actions())
                .singleElement()
                .isInstanceOfSatisfying(
                        PlannedAction.SetSysctl.class,
                        s -> assertThat(s.drift()).isTrue());
    }

    @Test
    void aKeyNoLongerWantedIsRestored() {
        AgentPolicy policy = Policies.sysctls(RemediationMode.Enforce, Map.of());
        Change c = open(SysctlKey.TCP_FIN_TIMEOUT, 60, 30, true);
        Plan p = plan(policy, List.of(seen(SysctlKey.TCP_FIN_TIMEOUT, 30)), List.of(c));

        assertThat(p.actions())
                .singleElement()
                .isInstanceOfSatisfying(
                        PlannedAction.RestoreSysctl.class,
                        r -> assertThat(r.change()).isEqualTo(c));
    }

    @Test
    void socketsAreChosenByStatePortAndAgeOldestFirstUpToMaxPerScan() {
        TcpSocket oldest = f.socket(TcpState.CLOSE_WAIT, 9080, 40001, 10, Duration.ofHours(2));
        TcpSocket older = f.socket(TcpState.CLOSE_WAIT, 9080, 40002, 10, Duration.ofHours(1));
        f.socket(TcpState.CLOSE_WAIT, 9080, 40003, 10, OLD);
        f.socket(TcpState.CLOSE_WAIT, 9080, 40004, 10, Duration.ofMinutes(1));
        f.socket(TcpState.CLOSE_WAIT, 9080, 40005, 10, null);
        f.socket(TcpState.CLOSE_WAIT, 9090, 40006, 10, OLD);
        f.socket(TcpState.ESTABLISHED, 9080, 40007, 10, OLD);
        f.socket(TcpState.FIN_WAIT1, 9080, 40008, 0, OLD);
        f.process(10, 1, 'S', "app", null);

        Plan p = plan(Policies.with(RemediationMode.Enforce, Policies.kill(2, TcpState.CLOSE_WAIT), null, null));

        assertThat(p.actions())
                .extracting(a -> ((PlannedAction.DestroySocket) a).socket())
                .containsExactly(oldest, older);
        assertThat(p.actions().get(0).describe())
                .contains("127.0.0.1:9080 -> 127.0.0.1:40001")
                .contains("pid 10 (app)");
        assertThat(p.notes())
                .anyMatch(n -> n.contains("1 more matching sockets are left for later scans"))
                .anyMatch(n -> n.contains("age is unknown"))
                .anyMatch(n -> n.contains("younger than olderThan"));
    }

    @Test
    void namedProcessesNarrowTheSelectionAndLeaveOrphansAlone() {
        TcpSocket app = f.socket(TcpState.CLOSE_WAIT, 9080, 40001, 10, OLD);
        f.socket(TcpState.CLOSE_WAIT, 9080, 40002, 20, OLD);
        f.socket(TcpState.FIN_WAIT1, 9080, 40003, 0, OLD);
        f.process(10, 1, 'S', "java", null).process(20, 1, 'S', "sidecar", null);
        AgentPolicy.KillRule onlyJava = new AgentPolicy.KillRule(
                Set.of(TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1),
                Set.of(9080),
                Duration.ofMinutes(10),
                100,
                Set.of("java"));

        Plan p = plan(Policies.with(RemediationMode.Enforce, onlyJava, null, null));

        assertThat(p.actions())
                .extracting(a -> ((PlannedAction.DestroySocket) a).socket())
                .containsExactly(app);
        assertThat(plan(Policies.with(
                                RemediationMode.Enforce,
                                Policies.kill(100, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT1),
                                null,
                                null))
                        .actions())
                .as("no processes named: any owner, and orphans")
                .hasSize(3);
    }

    @Test
    void noSocketIsPlannedWhenTheKernelCannotDestroyThem() {
        f.socket(TcpState.CLOSE_WAIT, 9080, 40001, 10, OLD);
        memory.killUnavailable = "no kernel support";
        Plan p = plan(Policies.with(RemediationMode.Enforce, Policies.kill(10, TcpState.CLOSE_WAIT), null, null));
        assertThat(p.actions()).isEmpty();
        assertThat(p.notes()).anyMatch(n -> n.contains("no kernel support"));
    }

    @Test
    void thePulseComesOnlyWhenDestroyingIsNotTheAnswer() {
        f.orphans = 5000;
        TcpSocket orphan = f.socket(TcpState.FIN_WAIT1, 9080, 40001, 0, OLD);
        AgentPolicy.PulseRule pulse = Policies.pulse(1000);

        // Destroying is configured and will be tried first: no pulse yet.
        Plan first = plan(Policies.with(RemediationMode.Enforce, Policies.kill(10, TcpState.FIN_WAIT1), pulse, null));
        assertThat(first.actions()).singleElement().isInstanceOf(PlannedAction.DestroySocket.class);

        // Destroyed, yet still there: the pulse.
        memory.destroyed.add(SocketRef.of(Fixture.HOST.inode(), orphan));
        Plan second = plan(Policies.with(RemediationMode.Enforce, Policies.kill(10, TcpState.FIN_WAIT1), pulse, null));
        assertThat(second.actions()).singleElement().isInstanceOfSatisfying(PlannedAction.OrphanPulse.class, o -> {
            assertThat(o.finWait1Orphans()).isEqualTo(1);
            assertThat(o.root()).isEqualTo(ROOTS.global());
            assertThat(o.why()).contains("did not free them");
        });

        // Not while cooling down.
        memory.pulseStartedAt(Fixture.NOW.minusSeconds(60));
        Plan third = plan(Policies.with(RemediationMode.Enforce, Policies.kill(10, TcpState.FIN_WAIT1), pulse, null));
        assertThat(third.actions()).isEmpty();
        assertThat(third.notes()).anyMatch(n -> n.contains("cooling down"));
    }

    @Test
    void thePulseNeedsMoreOrphansThanTheThreshold() {
        f.orphans = 10;
        f.socket(TcpState.FIN_WAIT1, 9080, 40001, 0, OLD);
        assertThat(plan(Policies.with(RemediationMode.Enforce, null, Policies.pulse(1000), null))
                        .actions())
                .isEmpty();
        f.orphans = 1001;
        assertThat(plan(Policies.with(RemediationMode.Enforce, null, Policies.pulse(1000), null))
                        .actions())
                .singleElement()
                .isInstanceOfSatisfying(
                        PlannedAction.OrphanPulse.class,
                        o -> assertThat(o.why()).contains("not configured"));
    }

    @Test
    void zombiesParentsAreSignalledButNeverPid1OrKernelThreads() {
        f.process(50, 1, 'S', "parent", null)
                .process(51, 50, 'Z', "child", OLD)
                .process(52, 50, 'Z', "child", OLD)
                .process(53, 50, 'Z', "young", Duration.ofSeconds(5))
                .process(60, 1, 'Z', "initchild", OLD)
                .kernelThread(70, "kworker")
                .process(71, 70, 'Z', "odd", OLD);
        Plan p = plan(
                Policies.with(RemediationMode.Enforce, null, null, new AgentPolicy.ZombieRule(Duration.ofMinutes(5))));

        assertThat(p.actions()).singleElement().isInstanceOfSatisfying(PlannedAction.SignalParent.class, s -> {
            assertThat(s.pid()).isEqualTo(50);
            assertThat(s.zombies()).containsExactly(51, 52);
        });
        assertThat(p.notes()).anyMatch(n -> n.contains("PID 1")).anyMatch(n -> n.contains("kernel thread"));

        memory.signalled.put("50@1050", Fixture.NOW.minusSeconds(10));
        assertThat(plan(Policies.with(
                                RemediationMode.Enforce, null, null, new AgentPolicy.ZombieRule(Duration.ofMinutes(5))))
                        .actions())
                .isEmpty();
    }

    @Test
    void aParentThatDoesNotReapIsAskedAgainLessAndLessOften() {
        f.process(50, 1, 'S', "parent", null).process(51, 50, 'Z', "child", OLD);
        AgentPolicy policy =
                Policies.with(RemediationMode.Enforce, null, null, new AgentPolicy.ZombieRule(Duration.ofMinutes(5)));

        // Three SIGCHLDs went unanswered: the next waits 4 x 5 minutes after the last, not 5.
        memory.signals.put("50@1050", 3);
        memory.signalled.put("50@1050", Fixture.NOW.minus(Duration.ofMinutes(19)));
        Plan waiting = plan(policy);
        assertThat(waiting.actions()).isEmpty();
        assertThat(waiting.notes())
                .anyMatch(n -> n.contains("has not reaped after 3 SIGCHLDs")
                        && n.contains(Fixture.NOW.plus(Duration.ofMinutes(1)).toString()));

        memory.signalled.put("50@1050", Fixture.NOW.minus(Duration.ofMinutes(21)));
        assertThat(plan(policy).actions()).singleElement().isInstanceOf(PlannedAction.SignalParent.class);

        // However long it has ignored them, it is still asked at least every 64 x olderThan.
        memory.signals.put("50@1050", 40);
        memory.signalled.put("50@1050", Fixture.NOW.minus(Duration.ofMinutes(5 * 64 + 1)));
        assertThat(plan(policy).actions()).singleElement().isInstanceOf(PlannedAction.SignalParent.class);
    }

    @Test
    void zombieParentsOutsideTheScannedNamespacesAreLeftAlone() {
        // With --host-netns self in a scratch namespace, processes of the real host are visible (one
        // pid namespace) but out of scope: signalling them would touch the host.
        f.process(50, 1, 'S', "inside", null)
                .process(51, 50, 'Z', "child", OLD)
                .process(80, 1, 'S', "outside", null)
                .process(81, 80, 'Z', "child", OLD)
                .inAnotherNamespace(80)
                .inAnotherNamespace(81);

        Plan p = plan(
                Policies.with(RemediationMode.Enforce, null, null, new AgentPolicy.ZombieRule(Duration.ofMinutes(5))));

        assertThat(p.actions())
                .singleElement()
                .isInstanceOfSatisfying(
                        PlannedAction.SignalParent.class,
                        s -> assertThat(s.pid()).isEqualTo(50));
        assertThat(p.notes())
                .anyMatch(n -> n.contains("pid 80") && n.contains("outside the network namespaces in scope"));
    }
}
