package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.loop.AgentLoop;
import io.tcphealth.agent.loop.Round;
import io.tcphealth.agent.loop.RoundRemediator;
import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.agent.metrics.AgentProbes;
import io.tcphealth.agent.metrics.ApiCalls;
import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.EffectiveThresholds;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The cluster loop with every I/O seam faked: prepared scans in, statuses and Events out. */
class ClusterAgentTest {
    static final String POD_UID = "0b6c5f4e-1111-2222-3333-444455556666";
    static final String CONTAINER = "c".repeat(64);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicReference<NodeScan> nextScan = new AtomicReference<>(new Snapshot().build());
    private final AtomicReference<TcpHealthNode> node = new AtomicReference<>(node(1, spec(List.of("checkout"))));
    private final List<TcpHealthNodeStatus> statuses = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final PodLookup pods = uid -> uid.equals(POD_UID)
            ? Optional.of(new PodRef(POD_UID, "shop", "checkout-7d9f", Map.of(CONTAINER, "api")))
            : Optional.empty();
    private final TokenBucket bucket = new TokenBucket(1, 5, clock::nanos);
    private final StatusPublisher publisher = new StatusPublisher(
            statuses::add,
            bucket,
            new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2), new Random(1)),
            clock,
            Duration.ofMinutes(5),
            ApiCalls.ignore(),
            m -> {});
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AgentLoop agent = ClusterAgent.loop(new ClusterAgent.Parts(
            "node-a",
            (scope, ports) -> nextScan.get(),
            new SocketAges(),
            () -> Optional.ofNullable(node.get()),
            pods,
            new ObserveOnly(),
            publisher,
            new PodEvents(
                    (target, reason, message) ->
                            events.add(target.kind() + " " + target.name() + " " + reason + ": " + message),
                    new PodAttribution(pods),
                    () -> Optional.of(EventTarget.node("node-a", "uid-n", "default")),
                    bucket,
                    clock,
                    ApiCalls.ignore(),
                    m -> {}),
            new ScanMetrics(registry),
            new AgentProbes(clock, Duration.ofSeconds(30), () -> true),
            clock,
            m -> {}));

    @Test
    void aLeakInAPodIsReportedWithThePodNamedAndAnnouncedOnThePodOnce() throws Exception {
        nextScan.set(leak(340));
        agent.runOnce();

        assertThat(statuses).as("the first round's status is written at once").hasSize(1);
        TcpHealthNodeStatus status = statuses.getLast();
        assertThat(status.getStates().getCloseWait()).isEqualTo(340);
        assertThat(status.getFindings()).first().satisfies(f -> {
            assertThat(f.getType()).isEqualTo("CloseWaitLeak");
            assertThat(f.getPod()).isEqualTo("shop/checkout-7d9f");
            assertThat(f.getPodUid()).isEqualTo(POD_UID);
        });
        assertThat(status.getAppliedPolicies()).containsExactly("checkout");
        assertThat(status.getObservedSpecGeneration()).isEqualTo(1L);
        assertThat(status.getConditions())
                .extracting(c -> c.getType() + "=" + c.getStatus())
                .contains("Healthy=False", "AgentReady=True");
        assertThat(events)
                .containsExactly(
                        "Pod checkout-7d9f CloseWaitLeak: CLOSE_WAIT leak: 340 CLOSE_WAIT sockets on :9080 held by java (pid 4711)"
                                + events.getFirst().substring(events.getFirst().indexOf(" (pid 4711)") + 11),
                        events.get(1));
        assertThat(events.getFirst()).endsWith("(container api)");
        assertThat(events.get(1))
                .startsWith("TcpHealthNode node-a CloseWaitLeak: shop/checkout-7d9f: CLOSE_WAIT leak: 340");

        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(30));
            nextScan.set(leak(340 + i % 3));
            agent.runOnce();
        }
        assertThat(statuses)
                .as("10 minutes of the same leak: the first write and two heartbeats")
                .hasSize(3);
        assertThat(events).as("no Event storm").hasSize(2);
        assertThat(registry.scrape())
                .contains("tcphealth_sockets{namespace_kind=\"host\",state=\"close_wait\"} 34")
                .contains("tcphealth_findings_by_type{severity=\"critical\",type=\"close_wait_leak\"} 1.0")
                .contains("tcphealth_scan_duration_seconds_bucket");
    }

    @Test
    void aSpecChangeTakesEffectAtTheNextScan() throws Exception {
        nextScan.set(leak(30));
        agent.runOnce();
        assertThat(statuses.getLast().getFindings())
                .noneMatch(f -> f.getType().equals("CloseWaitLeak") && f.getSeverity() != Severity.Info);

        TcpHealthNodeSpec stricter = spec(List.of("checkout"));
        EffectiveThresholds t = new EffectiveThresholds();
        t.setCloseWaitPerProcess(new Sourced<>(10, "checkout"));
        stricter.setThresholds(t);
        node.set(node(2, stricter));
        clock.advance(Duration.ofSeconds(30));
        agent.runOnce();
        assertThat(statuses.getLast().getFindings())
                .anyMatch(f -> f.getType().equals("CloseWaitLeak") && f.getSeverity() != Severity.Info);
        assertThat(statuses.getLast().getObservedSpecGeneration()).isEqualTo(2L);
    }

    @Test
    void aDepartingPolicyIsConfirmedOnceNothingOfItIsHeld() throws Exception {
        agent.runOnce();
        assertThat(statuses.getLast().getAppliedPolicies()).containsExactly("checkout");
        TcpHealthNodeSpec leaving = spec(List.of());
        leaving.setDepartingPolicies(List.of(new PolicyRestore("checkout", true)));
        node.set(node(2, leaving));
        agent.runOnce();
        assertThat(statuses.getLast().getAppliedPolicies()).isEmpty();
    }

    @Test
    void withoutItsTcpHealthNodeTheAgentScansButWritesNothing() throws Exception {
        node.set(null);
        Optional<Round> round = agent.runOnce();
        assertThat(round).hasValueSatisfying(r -> assertThat(r.scan()).isNotNull());
        assertThat(statuses).isEmpty();
        assertThat(agent.rounds()).isEqualTo(1);
    }

    @Test
    void untilItsTcpHealthNodeIsKnownTheAgentChangesNothing() throws Exception {
        java.util.concurrent.atomic.AtomicInteger acted = new java.util.concurrent.atomic.AtomicInteger();
        RoundRemediator remediator = new RoundRemediator() {
            @Override
            public RoundRemedy act(
                    io.tcphealth.agent.policy.AgentPolicy policy,
                    NodeScan scan,
                    io.tcphealth.agent.diagnosis.Ages ages,
                    List<Finding> findings) {
                acted.incrementAndGet();
                return RoundRemedy.nothing();
            }

            @Override
            public void restoreDeparting(java.util.Set<String> policies) {}

            @Override
            public boolean restoreEverything() {
                return true;
            }

            @Override
            public void undoTransient() {}
        };
        AgentLoop restarted = ClusterAgent.loop(new ClusterAgent.Parts(
                "node-a",
                (scope, ports) -> nextScan.get(),
                new SocketAges(),
                () -> Optional.ofNullable(node.get()),
                pods,
                remediator,
                publisher,
                new PodEvents(
                        (t, r, m) -> {},
                        new PodAttribution(pods),
                        Optional::empty,
                        bucket,
                        clock,
                        ApiCalls.ignore(),
                        m -> {}),
                new ScanMetrics(registry),
                new AgentProbes(clock, Duration.ofSeconds(30), () -> true),
                clock,
                m -> {}));
        node.set(null);

        restarted.runOnce();
        assertThat(acted)
                .as("no remediation (and so no restore) on defaults while the spec is unknown")
                .hasValue(0);

        node.set(node(1, spec(List.of("checkout"))));
        restarted.runOnce();
        assertThat(acted).hasValue(1);
    }

    @Test
    void stoppingAbandonsTheScanInProgressAndUndoesTransientChanges() throws Exception {
        java.util.concurrent.CountDownLatch secondScan = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean undone = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger scans = new java.util.concurrent.atomic.AtomicInteger();
        RoundRemediator remediator = new RoundRemediator() {
            @Override
            public RoundRemedy act(
                    io.tcphealth.agent.policy.AgentPolicy policy,
                    NodeScan scan,
                    io.tcphealth.agent.diagnosis.Ages ages,
                    List<Finding> findings) {
                return RoundRemedy.nothing();
            }

            @Override
            public void restoreDeparting(java.util.Set<String> policies) {}

            @Override
            public boolean restoreEverything() {
                return true;
            }

            @Override
            public void undoTransient() {
                undone.set(true);
            }
        };
        TcpHealthNodeSpec fast = spec(List.of("checkout"));
        fast.setInterval(new Sourced<>("5s", "checkout"));
        node.set(node(1, fast));
        AgentLoop looping = ClusterAgent.loop(new ClusterAgent.Parts(
                "node-a",
                (scope, ports) -> {
                    if (scans.incrementAndGet() == 2) {
                        throw new IllegalStateException("a round that trips over something unexpected");
                    }
                    if (scans.get() > 2) {
                        secondScan.countDown();
                        Thread.sleep(Duration.ofMinutes(10));
                    }
                    return nextScan.get();
                },
                new SocketAges(),
                () -> Optional.ofNullable(node.get()),
                pods,
                remediator,
                publisher,
                new PodEvents(
                        (t, r, m) -> {},
                        new PodAttribution(pods),
                        Optional::empty,
                        bucket,
                        clock,
                        ApiCalls.ignore(),
                        m -> {}),
                new ScanMetrics(registry),
                new AgentProbes(clock, Duration.ofSeconds(30), () -> true),
                clock,
                m -> {}));
        Thread thread = new Thread(looping::run, "agent-loop");
        thread.start();
        assertThat(secondScan.await(30, java.util.concurrent.TimeUnit.SECONDS))
                .as("the loop scans every interval, also after a round that threw")
                .isTrue();
        assertThat(looping.looping()).isTrue();

        assertThat(looping.stop(Duration.ofSeconds(10)))
                .as("stopped within the grace period")
                .isTrue();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(undone).as("transient changes undone on the way out").isTrue();
        assertThat(looping.rounds())
                .as("the interrupted scan was abandoned, not reported")
                .isEqualTo(1);
    }

    static NodeScan leak(int sockets) {
        return leak(sockets, POD_UID);
    }

    static NodeScan leak(int sockets, String podUid) {
        return new Snapshot()
                .process(4711, "java", podUid, CONTAINER)
                .sockets(sockets, TcpState.CLOSE_WAIT, 9080, 4711)
                .build();
    }

    static TcpHealthNodeSpec spec(List<String> policies) {
        TcpHealthNodeSpec spec = new TcpHealthNodeSpec();
        spec.setPolicies(policies);
        return spec;
    }

    static TcpHealthNode node(long generation, TcpHealthNodeSpec spec) {
        TcpHealthNode n = new TcpHealthNode();
        n.getMetadata().setName("node-a");
        n.getMetadata().setUid("uid-n");
        n.getMetadata().setGeneration(generation);
        n.setSpec(spec);
        return n;
    }
}
