package io.tcphealth.agent.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.nativeio.Errno;
import io.tcphealth.agent.nativeio.ErrnoException;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.RemediationMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remediator against hand-written fakes of every I/O seam. */
class RemediatorTest {
    private static final Path SYS = Path.of("/proc/sys");
    private static final Path GLOBAL = Path.of("/global");

    @TempDir
    Path dir;

    private Journal journal;
    private final FakeSysctls sysctls = new FakeSysctls();
    private final List<TcpSocket> destroyed = new ArrayList<>();
    private ErrnoException killFailure;
    private final Map<Integer, Long> alive = new HashMap<>();
    private final List<Integer> signalled = new ArrayList<>();
    private final RemediationMemory memory = new RemediationMemory();
    private final StringWriter logText = new StringWriter();
    private OrphanWatch watch = (ns, ports) -> 1;
    private NetNamespace here;

    /** Sysctl values in a map; every write checks that its intent is already on disk. */
    final class FakeSysctls implements SysctlAccess {
        final Map<String, Long> values = new HashMap<>();
        final List<String> writes = new ArrayList<>();

        @Override
        public long read(NetNamespace ns, Path root, SysctlKey key) throws IOException {
            Long v = values.get(root + ":" + key);
            if (v == null) {
                throw new java.nio.file.NoSuchFileException(key.resolve(root).toString());
            }
            return v;
        }

        @Override
        public void write(NetNamespace ns, Path root, SysctlKey key, long value) throws IOException {
            String onDisk = Files.readString(journal.file());
            assertThat(onDisk)
                    .as("the journal names the key before it is written")
                    .contains(key.dottedName());
            writes.add(key.dottedName() + "=" + value);
            values.put(root + ":" + key, value);
        }
    }

    @BeforeEach
    void open() throws IOException {
        journal = Journal.open(dir, Clock.systemUTC());
        // The namespace of this test's own threads: the replay finds it without setns.
        here = new NetNamespace(NamespaceExecutor.currentInode(), Path.of("/proc/self/ns/net"), true, List.of());
    }

    @AfterEach
    void close() throws IOException {
        journal.close();
    }

    private Remediator remediator() {
        SocketKiller killer = (ns, s) -> {
            if (killFailure != null) {
                throw killFailure;
            }
            destroyed.add(s);
        };
        ProcessSignals signals = new ProcessSignals() {
            @Override
            public long startTicks(int pid) {
                return alive.getOrDefault(pid, -1L);
            }

            @Override
            public void signal(int pid, int signal) {
                signalled.add(pid);
                if (pid == 50) {
                    alive.remove(51); // this parent reaps
                }
            }
        };
        return new Remediator(
                journal,
                sysctls,
                killer,
                signals,
                watch,
                new NamespaceLocator(Path.of("/proc"), null),
                memory,
                PauseHook.NONE,
                new EventLog(new PrintWriter(logText), Clock.systemUTC()),
                Clock.systemUTC(),
                Duration.ofMillis(200));
    }

    private Plan planOf(PlannedAction... actions) {
        return new Plan(List.of(actions), List.of());
    }

    @Test
    void aSysctlIsJournaledThenWrittenAndReadBack() throws Exception {
        sysctls.values.put(SYS + ":" + SysctlKey.TCP_KEEPALIVE_TIME, 7200L);
        RoundResult r = remediator()
                .enforce(
                        Policies.sysctls(RemediationMode.Enforce, Map.of()),
                        planOf(new PlannedAction.SetSysctl(here, SYS, SysctlKey.TCP_KEEPALIVE_TIME, 7200, 600, false)));

        assertThat(r.actions()).extracting(RemediationAction::getResult).containsExactly(ActionResult.Done);
        assertThat(sysctls.writes).containsExactly("net.ipv4.tcp_keepalive_time=600");
        assertThat(journal.openChanges()).singleElement().satisfies(c -> {
            assertThat(c.original()).isEqualTo(7200);
            assertThat(c.target()).isEqualTo(600);
        });
        assertThat(logText.toString()).contains("Set net.ipv4.tcp_keepalive_time in host to 600 (was 7200");
    }

    @Test
    void driftIsReportedAndEnforcedAgain() throws Exception {
        sysctls.values.put(SYS + ":" + SysctlKey.TCP_KEEPALIVE_TIME, 7200L);
        RoundResult r = remediator()
                .enforce(
                        Policies.sysctls(RemediationMode.Enforce, Map.of()),
                        planOf(new PlannedAction.SetSysctl(here, SYS, SysctlKey.TCP_KEEPALIVE_TIME, 7200, 600, true)));
        assertThat(r.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.type().name()).isEqualTo("SysctlDrift"));
        assertThat(sysctls.values).containsEntry(SYS + ":" + SysctlKey.TCP_KEEPALIVE_TIME, 600L);
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        sysctls.values.put(SYS + ":" + SysctlKey.TCP_KEEPALIVE_TIME, 7200L);
        Fixture f = new Fixture();
        TcpSocket s = f.socket(TcpState.CLOSE_WAIT, 9080, 40000, 0, Duration.ofHours(1));
        RoundResult r = remediator()
                .report(
                        Policies.sysctls(RemediationMode.DryRun, Map.of()),
                        planOf(
                                new PlannedAction.SetSysctl(here, SYS, SysctlKey.TCP_KEEPALIVE_TIME, 7200, 600, false),
                                new PlannedAction.DestroySocket(here, s, Duration.ofHours(1), List.of())));

        assertThat(r.actions())
                .extracting(RemediationAction::getResult)
                .containsExactly(ActionResult.DryRun, ActionResult.DryRun);
        assertThat(sysctls.writes).isEmpty();
        assertThat(destroyed).isEmpty();
        assertThat(journal.openChanges()).isEmpty();
    }

    @Test
    void withoutKernelSupportDestroyingStopsWithAClearConditionAndNoRetries() throws Exception {
        Fixture f = new Fixture();
        TcpSocket a = f.socket(TcpState.CLOSE_WAIT, 9080, 40000, 0, Duration.ofHours(1));
        TcpSocket b = f.socket(TcpState.CLOSE_WAIT, 9080, 40001, 0, Duration.ofHours(1));
        killFailure = new ErrnoException("inet_diag destroy AF_INET", Errno.EOPNOTSUPP);

        RoundResult r = remediator()
                .enforce(
                        Policies.sysctls(RemediationMode.Enforce, Map.of()),
                        planOf(
                                new PlannedAction.DestroySocket(here, a, Duration.ofHours(1), List.of()),
                                new PlannedAction.DestroySocket(here, b, Duration.ofHours(1), List.of())));

        assertThat(r.actions())
                .extracting(RemediationAction::getResult)
                .containsExactly(ActionResult.Failed, ActionResult.Skipped);
        assertThat(memory.killUnavailable()).contains("CONFIG_INET_DIAG_DESTROY");
        assertThat(r.failures()).isNotEmpty();
    }

    @Test
    void destroyedSocketsAreRememberedAndRecorded() throws Exception {
        Fixture f = new Fixture();
        TcpSocket a = f.socket(TcpState.CLOSE_WAIT, 9080, 40000, 0, Duration.ofHours(1));
        remediator()
                .enforce(
                        Policies.sysctls(RemediationMode.Enforce, Map.of()),
                        planOf(new PlannedAction.DestroySocket(here, a, Duration.ofHours(1), List.of("pid 7 (app)"))));
        assertThat(destroyed).containsExactly(a);
        assertThat(memory.destroyed).contains(SocketRef.of(here.inode(), a));
        assertThat(Files.readString(journal.file())).contains("Destroyed CLOSE_WAIT 127.0.0.1:9080 -> 127.0.0.1:40000");
    }

    private PlannedAction.OrphanPulse pulse() {
        return new PlannedAction.OrphanPulse(
                here, GLOBAL, 5000, 3, List.of(9080), List.of(here), Duration.ofMillis(300), "test");
    }

    @Test
    void thePulseRestoresTheOriginalWhenTheOrphansAreGone() throws Exception {
        sysctls.values.put(GLOBAL + ":" + SysctlKey.TCP_MAX_ORPHANS, 65536L);
        watch = (ns, ports) -> 0;
        RoundResult r = remediator().enforce(Policies.sysctls(RemediationMode.Enforce, Map.of()), planOf(pulse()));

        assertThat(sysctls.writes).containsExactly("net.ipv4.tcp_max_orphans=0", "net.ipv4.tcp_max_orphans=65536");
        assertThat(r.actions())
                .singleElement()
                .satisfies(a -> assertThat(a.getMessage()).contains("3 of 3"));
        assertThat(journal.openChanges()).isEmpty();
        assertThat(memory.lastPulse).isNotNull();
    }

    @Test
    void thePulseEndsAtMaxDurationAndStillRestores() throws Exception {
        sysctls.values.put(GLOBAL + ":" + SysctlKey.TCP_MAX_ORPHANS, 65536L);
        remediator().enforce(Policies.sysctls(RemediationMode.Enforce, Map.of()), planOf(pulse()));
        assertThat(sysctls.values).containsEntry(GLOBAL + ":" + SysctlKey.TCP_MAX_ORPHANS, 65536L);
        assertThat(journal.openChanges()).isEmpty();
    }

    @Test
    void thePulseRestoresEvenWhenWatchingFailsOrTheAgentIsStopped() throws Exception {
        sysctls.values.put(GLOBAL + ":" + SysctlKey.TCP_MAX_ORPHANS, 65536L);
        watch = (ns, ports) -> {
            throw new IOException("netlink went away");
        };
        RoundResult r = remediator().enforce(Policies.sysctls(RemediationMode.Enforce, Map.of()), planOf(pulse()));
        assertThat(r.actions()).extracting(RemediationAction::getResult).containsExactly(ActionResult.Failed);
        assertThat(sysctls.values).containsEntry(GLOBAL + ":" + SysctlKey.TCP_MAX_ORPHANS, 65536L);

        watch = (ns, ports) -> {
            throw new InterruptedException("stop");
        };
        assertThatThrownBy(() ->
                        remediator().enforce(Policies.sysctls(RemediationMode.Enforce, Map.of()), planOf(pulse())))
                .isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isTrue();
        assertThat(sysctls.values).containsEntry(GLOBAL + ":" + SysctlKey.TCP_MAX_ORPHANS, 65536L);
        assertThat(journal.openChanges()).isEmpty();
    }

    @Test
    void aPulseIsRefusedWhenTheLimitIsAlreadyZero() throws Exception {
        sysctls.values.put(GLOBAL + ":" + SysctlKey.TCP_MAX_ORPHANS, 0L);
        RoundResult r = remediator().enforce(Policies.sysctls(RemediationMode.Enforce, Map.of()), planOf(pulse()));
        assertThat(r.actions()).extracting(RemediationAction::getResult).containsExactly(ActionResult.Failed);
        assertThat(sysctls.writes).isEmpty();
    }

    @Test
    void parentsAreSignalledAndWhetherTheyReapedIsRecorded() throws Exception {
        alive.put(50, 1050L);
        alive.put(51, 1051L);
        alive.put(60, 1060L);
        alive.put(61, 1061L);
        RoundResult r = remediator()
                .enforce(
                        Policies.sysctls(RemediationMode.Enforce, Map.of()),
                        planOf(
                                new PlannedAction.SignalParent(
                                        50, "reaper", 1050, List.of(51), List.of(1051L), Duration.ofMinutes(6), false),
                                new PlannedAction.SignalParent(
                                        60, "ignorer", 1060, List.of(61), List.of(1061L), Duration.ofMinutes(6), true),
                                new PlannedAction.SignalParent(
                                        70, "gone", 1070, List.of(71), List.of(1071L), Duration.ofMinutes(6), false)));

        assertThat(signalled).containsExactly(50, 60);
        assertThat(r.actions().get(0).getMessage()).contains("1 of 1 zombies reaped");
        assertThat(r.actions().get(1).getMessage()).contains("0 of 1 zombies reaped");
        assertThat(r.actions().get(2).getResult()).isEqualTo(ActionResult.Skipped);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.pid()).isEqualTo(60);
            assertThat(f.nextStep()).contains("shareProcessNamespace").contains("init");
        });
    }

    @Test
    void replayingTwiceIsReplayingOnce() throws Exception {
        sysctls.values.put(SYS + ":" + SysctlKey.TCP_FIN_TIMEOUT, 30L);
        journal.recordIntent(
                SysctlKey.TCP_FIN_TIMEOUT,
                "host",
                here.path(),
                here.inode(),
                List.of(),
                SYS,
                60,
                30,
                "p",
                Change.Lifetime.PERSISTENT,
                true);
        journal.recordIntent(
                SysctlKey.TCP_KEEPALIVE_TIME,
                "netns:[1]",
                Path.of("/nonexistent/ns"),
                1,
                List.of(),
                SYS,
                7200,
                600,
                "p",
                Change.Lifetime.PERSISTENT,
                true);
        JournalReplay replay = remediator().replay();

        List<JournalReplay.Outcome> first = replay.replay(c -> true, true);
        assertThat(first)
                .extracting(JournalReplay.Outcome::result)
                .containsExactly(ActionResult.Skipped, ActionResult.Done);
        assertThat(first.get(0).message()).contains("no longer exists");
        assertThat(sysctls.values).containsEntry(SYS + ":" + SysctlKey.TCP_FIN_TIMEOUT, 60L);
        int writes = sysctls.writes.size();

        assertThat(replay.replay(c -> true, true)).isEmpty();
        assertThat(sysctls.writes).hasSize(writes);
    }

    @Test
    void restoreOnDeleteFalseLeavesTheValue() throws Exception {
        sysctls.values.put(SYS + ":" + SysctlKey.TCP_FIN_TIMEOUT, 30L);
        journal.recordIntent(
                SysctlKey.TCP_FIN_TIMEOUT,
                "host",
                here.path(),
                here.inode(),
                List.of(),
                SYS,
                60,
                30,
                "p",
                Change.Lifetime.PERSISTENT,
                false);
        assertThat(remediator().replay().replay(c -> true, true))
                .singleElement()
                .satisfies(o -> assertThat(o.message()).contains("restoreOnDelete false"));
        assertThat(sysctls.writes).isEmpty();
        assertThat(journal.openChanges()).isEmpty();
    }
}
