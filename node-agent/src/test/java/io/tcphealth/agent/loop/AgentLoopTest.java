package io.tcphealth.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.cluster.NodeSpecPolicy;
import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.metrics.AgentProbes;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The one agent loop with every seam faked: what it asks the source, gives the sink and asks of remediation. */
class AgentLoopTest {
    static final NetNamespace HOST = new NetNamespace(4026531840L, Path.of("/proc/1/ns/net"), true, List.of(1));
    static final AgentPolicy POLICY = NodeSpecPolicy.defaults().withScope(io.tcphealth.agent.scan.ScanScope.HOST);
    static final Finding DRIFT = new Finding(
            FindingType.SysctlDrift,
            Severity.Warning,
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "host",
            null,
            "net.ipv4.tcp_keepalive_time was changed behind tcphealth's back",
            "set again");

    private final Deque<PolicySource.Next> turns = new ArrayDeque<>();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final List<Round> rounds = new CopyOnWriteArrayList<>();
    private final List<Exception> failures = new ArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private ScanSource scanner = (scope, ports) -> scan();
    private List<String> remedyFailures = List.of();

    private final RoundRemediator remediator = new RoundRemediator() {
        @Override
        public RoundRemedy act(AgentPolicy policy, NodeScan scan, Ages ages, List<Finding> findings) {
            told.add("act " + findings.size());
            RemediationAction set = new RemediationAction();
            set.setResult(remedyFailures.isEmpty() ? ActionResult.Done : ActionResult.Failed);
            return new RoundRemedy(List.of(set), List.of(DRIFT), List.of(), List.of(), remedyFailures, Set.of(), 0);
        }

        @Override
        public void restoreDeparting(Set<String> policies) {
            told.add("restore " + policies);
        }

        @Override
        public boolean restoreEverything() {
            told.add("restore everything");
            return false;
        }

        @Override
        public void undoTransient() {
            told.add("undo transient");
        }
    };

    private final RoundSink sink = new RoundSink() {
        @Override
        public void roundDone(Round round) {
            rounds.add(round);
        }

        @Override
        public void roundFailed(AgentPolicy policy, Exception cause) {
            failures.add(cause);
        }
    };

    private AgentLoop loop(boolean once) {
        PolicySource source = () -> turns.isEmpty() ? new PolicySource.Act(POLICY) : turns.poll();
        return new AgentLoop(
                new AgentLoop.Parts(
                        source,
                        new AgentRound((scope, ports) -> scanner.scan(scope, ports), new SocketAges(), remediator),
                        remediator,
                        sink,
                        new AgentProbes(Clock.systemUTC(), Duration.ofSeconds(30), () -> true),
                        log::add,
                        "this host",
                        once),
                POLICY);
    }

    @Test
    void remediationsOwnFindingsJoinTheDiagnosisOnceAndEverySinkSeesTheSameRound() throws Exception {
        AgentLoop agent = loop(false);
        turns.add(new PolicySource.Act(POLICY, false, Set.of()));
        Round observed = agent.runOnce().orElseThrow();
        Round remedied = agent.runOnce().orElseThrow();

        assertThat(observed.remedy()).isEqualTo(RoundRemedy.nothing());
        assertThat(told)
                .as("a round not to remediate changes nothing")
                .containsExactly("act " + observed.findings().size());
        assertThat(remedied.findings()).hasSize(observed.findings().size() + 1);
        assertThat(remedied.findings().stream().filter(DRIFT::equals)).hasSize(1);
        assertThat(rounds).containsExactly(observed, remedied);
        assertThat(RoundReport.of(remedied).findings()).isEqualTo(remedied.findings());
        assertThat(agent.rounds()).isEqualTo(2);
    }

    @Test
    void departingPoliciesArePutBackBeforeTheRoundActs() throws Exception {
        AgentLoop agent = loop(false);
        turns.add(new PolicySource.Act(POLICY, true, Set.of("keepalive")));
        agent.runOnce();
        assertThat(told).first().isEqualTo("restore [keepalive]");
        assertThat(told).element(1).asString().startsWith("act ");
    }

    @Test
    void aFailedScanIsToldToTheSinkAndOnceSaysNotDone() throws Exception {
        scanner = (scope, ports) -> {
            throw new IOException("netlink dump failed");
        };
        assertThat(loop(true).run()).isEqualTo(AgentLoop.NOT_DONE);
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("netlink dump failed"));
        assertThat(rounds).isEmpty();
        assertThat(told).as("transient changes are undone on the way out").containsExactly("undo transient");
    }

    @Test
    void onceExitsByWhetherEverythingAskedWasDone() {
        assertThat(loop(true).run()).isEqualTo(AgentLoop.DONE);
        remedyFailures = List.of("Destroy CLOSE_WAIT 127.0.0.1:9080: EPERM");
        assertThat(loop(true).run()).isEqualTo(AgentLoop.NOT_DONE);
        assertThat(log).last().asString().isEqualTo("Agent on this host stopped after 1 scans");
    }

    @Test
    void aGoneSourceEndsTheLoopAfterPuttingEverythingBack() {
        turns.add(new PolicySource.Gone());
        assertThat(loop(false).run()).as("something could not be put back").isEqualTo(AgentLoop.NOT_DONE);
        assertThat(told).containsExactly("restore everything", "undo transient");
        assertThat(rounds).isEmpty();
    }

    @Test
    void aRoundThatThrowsDoesNotStopTheLoop() throws Exception {
        int[] scans = {0};
        scanner = (scope, ports) -> {
            if (++scans[0] == 1) {
                throw new IllegalStateException("a parser tripped");
            }
            return scan();
        };
        AgentLoop agent = loop(false);
        assertThat(agent.runOnce()).isEmpty();
        assertThat(agent.runOnce()).isPresent();
        assertThat(failures).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStopBetweenRoundsIsSaidAndUndoesTransientChanges() throws Exception {
        AgentLoop agent = loop(false);
        Thread running = Thread.ofPlatform().start(agent::run);
        while (rounds.isEmpty()) {
            Thread.sleep(10);
        }
        // The round is done and the loop waits for the next: a stop now ends it without interrupting a round.
        while (running.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(10);
        }
        assertThat(agent.stop(Duration.ofSeconds(10))).isTrue();
        running.join();
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("Stopping on request"));
        assertThat(log).last().asString().isEqualTo("Agent on this host stopped after 1 scans");
        assertThat(told).endsWith("undo transient");
    }

    static NodeScan scan() {
        return new NodeScan(
                Instant.parse("2026-01-01T00:00:00Z"),
                3,
                "test",
                List.of(new NamespaceScan(
                        HOST, List.of(), new SockStat(0, 0, 0, 0, 0), new TcpSysctls(65536, 7200, 75, 9, 60, 0))),
                Map.of(),
                Map.of(),
                List.of());
    }
}
