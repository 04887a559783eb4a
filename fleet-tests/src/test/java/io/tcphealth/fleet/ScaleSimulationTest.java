package io.tcphealth.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.tcphealth.agent.cluster.Snapshot;
import io.tcphealth.agent.cluster.StatusBuilder;
import io.tcphealth.agent.diagnosis.Diagnoser;
import io.tcphealth.agent.diagnosis.DiagnosisSettings;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.ActionKind;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.SysctlStatus;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicyStatus;
import io.tcphealth.operator.fleet.NodeLiveness;
import io.tcphealth.operator.status.PolicyStatusAggregator;
import io.tcphealth.operator.status.StatusRateLimiter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 5,000 nodes' statuses, built by the agent's own {@link StatusBuilder} from prepared scans, fed to the
 * operator's own aggregation and status rate limit over ten simulated minutes of agent writes. Prints (and
 * writes to {@code target/scale-simulation.txt}) how long one aggregation takes, how many policy-status
 * writes per minute the operator makes, and the size of the biggest objects. Asserts on counts and sizes
 * only, never on time; docs/scale.md records the figures.
 */
class ScaleSimulationTest {
    static final int NODES = 5_000;
    static final Duration HEARTBEAT = Duration.ofMinutes(5);
    static final Duration STATUS_MIN_INTERVAL = Duration.ofSeconds(10);
    static final int MINUTES = 10;
    /** Nodes whose findings change in a given minute: a busy fleet, far above a quiet one. */
    static final double CHANGING_PER_MINUTE = 0.02;

    static final int KUBELET_LEASE_WRITES_PER_MINUTE = 6;

    private final ObjectMapper json = new ObjectMapper();
    private final StatusBuilder statuses = new StatusBuilder();
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void fiveThousandNodesFeedOnePolicy() throws IOException {
        TcpHealthNodeStatus quiet = status(Snapshot.quiet());
        TcpHealthNodeStatus leaky = status(Snapshot.closeWaitLeak(340, 9080, "pod-uid", "a".repeat(64)));
        TcpHealthNodeStatus worst = worstCase();

        Random random = new Random(42);
        List<TcpHealthNode> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            TcpHealthNodeStatus s = i % 100 == 0 ? worst : i % 12 == 0 ? leaky : quiet;
            nodes.add(node("node-" + i, s, start.minusSeconds(random.nextInt((int) HEARTBEAT.toSeconds()))));
        }
        TcpHealthPolicy policy = policy();
        PolicyStatusAggregator aggregator =
                new PolicyStatusAggregator(new NodeLiveness(HEARTBEAT, Duration.ofMinutes(1)));

        // How long one aggregation of the whole fleet takes (reported, not asserted).
        long[] nanos = new long[15];
        TcpHealthPolicyStatus aggregated = null;
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            aggregated = aggregator.aggregate(policy, List.of(), nodes, start);
            nanos[i] = System.nanoTime() - t0;
        }
        long[] timed = Arrays.copyOfRange(nanos, 5, nanos.length);
        Arrays.sort(timed);
        double medianMillis = timed[timed.length / 2] / 1e6;
        assertThat(aggregated.getNodes().getMatched()).isEqualTo(NODES);
        assertThat(aggregated.getNodes().getReporting()).isEqualTo(NODES);
        assertThat(aggregated.getWorstNodes()).hasSize(TcpHealthPolicyStatus.MAX_WORST_NODES);

        // Ten minutes of agent writes: every node's heartbeat every 5 minutes (spread over the period) and
        // 2% of the nodes changing findings each minute. The operator recomputes when something arrived and
        // writes when the result differs, at most once per --status-min-interval.
        StatusRateLimiter limiter = new StatusRateLimiter(STATUS_MIN_INTERVAL);
        long agentWrites = 0;
        int operatorWrites = 0;
        int aggregations = 0;
        boolean dirty = false;
        TcpHealthPolicyStatus written = null;
        for (int second = 0; second < MINUTES * 60; second++) {
            Instant now = start.plusSeconds(second);
            for (int i = 0; i < NODES; i++) {
                TcpHealthNode n = nodes.get(i);
                Instant last = Instant.parse(n.getStatus().getHeartbeat());
                boolean change = random.nextDouble() < CHANGING_PER_MINUTE / 60;
                if (change || !now.isBefore(last.plus(HEARTBEAT))) {
                    TcpHealthNodeStatus next = change
                            ? (n.getStatus().getFindings().size()
                                            > quiet.getFindings().size()
                                    ? quiet
                                    : leaky)
                            : n.getStatus();
                    nodes.set(i, node(n.getMetadata().getName(), next, now));
                    agentWrites++;
                    dirty = true;
                }
            }
            if (dirty && limiter.wait("p", now, false).isZero()) {
                TcpHealthPolicyStatus next = aggregator.aggregate(policy, List.of(), nodes, now);
                aggregations++;
                dirty = false;
                if (!next.equals(written)) {
                    written = next;
                    policy.setStatus(next);
                    limiter.written("p", now);
                    operatorWrites++;
                }
            }
        }
        double operatorWritesPerMinute = operatorWrites / (double) MINUTES;
        double agentWritesPerNodePerMinute = agentWrites / (double) NODES / MINUTES;
        assertThat(operatorWritesPerMinute).isLessThanOrEqualTo(60.0 / STATUS_MIN_INTERVAL.toSeconds());
        assertThat(agentWritesPerNodePerMinute).isLessThan(KUBELET_LEASE_WRITES_PER_MINUTE / 10.0);

        int worstNodeBytes = json.writeValueAsBytes(node("node-0", worst, start)).length;
        int quietNodeBytes = json.writeValueAsBytes(node("node-1", quiet, start)).length;
        int policyBytes = json.writeValueAsBytes(policy).length;
        assertThat(worstNodeBytes).isLessThan(100 * 1024);
        assertThat(policyBytes).isLessThan(100 * 1024);

        String report = String.format(
                """
                Scale simulation: %d nodes, one policy selecting all of them
                aggregation of the whole fleet: median %.1f ms (of %d runs after %d warm-ups, this machine)
                agent status writes: %d in %d simulated minutes = %.2f per node per minute (kubelet lease: %d)
                operator policy-status writes: %d in %d minutes = %.1f per minute (%d aggregations; limit one per %ds)
                biggest TcpHealthNode (80 findings with 1 KiB texts, 64 sysctls, 20 actions; %d findings kept): %d bytes
                quiet TcpHealthNode: %d bytes; TcpHealthPolicy with 10 worst nodes: %d bytes
                """,
                NODES,
                medianMillis,
                timed.length,
                5,
                agentWrites,
                MINUTES,
                agentWritesPerNodePerMinute,
                KUBELET_LEASE_WRITES_PER_MINUTE,
                operatorWrites,
                MINUTES,
                operatorWritesPerMinute,
                aggregations,
                STATUS_MIN_INTERVAL.toSeconds(),
                worst.getFindings().size(),
                worstNodeBytes,
                quietNodeBytes,
                policyBytes);
        System.out.print(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "scale-simulation.txt"), report);
    }

    private TcpHealthNodeStatus status(NodeScan scan) {
        return status(scan, findings(scan), RoundRemedy.nothing(), List.of());
    }

    private static List<Finding> findings(NodeScan scan) {
        SocketAges ages = new SocketAges();
        ages.observe(scan);
        List<Finding> findings = new ArrayList<>(new Diagnoser().diagnose(scan, ages, DiagnosisSettings.defaults()));
        findings.sort(Finding.MOST_SEVERE_FIRST);
        return findings;
    }

    private TcpHealthNodeStatus status(
            NodeScan scan, List<Finding> findings, RoundRemedy remedy, List<RemediationAction> actions) {
        return statuses.build(
                new StatusBuilder.Input("n", scan, findings, remedy, actions, List.of("p"), 1L, null, null, start));
    }

    /**
     * The largest status the agent can write: 80 leaking processes (more findings than the 50 shown), every
     * message and next step at the schema's 1 KiB bound, long pod names, 64 sysctls and 20 actions with 1 KiB
     * messages. The builder's caps and byte budget decide what is left.
     */
    private TcpHealthNodeStatus worstCase() {
        Snapshot many = new Snapshot().at(Instant.now());
        for (int p = 0; p < 80; p++) {
            many.process(1000 + p, "worker-" + p, "pod-" + p, String.format("%064d", p))
                    .sockets(60, TcpState.CLOSE_WAIT, 8000 + p, 1000 + p);
        }
        NodeScan scan = many.build();
        String kib = "x".repeat(1024);
        List<Finding> findings = findings(scan).stream()
                .map(f -> new Finding(
                        f.type(),
                        f.severity(),
                        f.count(),
                        f.port(),
                        f.state(),
                        f.pid(),
                        f.comm(),
                        f.containerId(),
                        f.podUid(),
                        "some-namespace-name/some-fairly-long-pod-name-7d9f8c6b5-x2k4q",
                        f.netns(),
                        f.ageSeconds(),
                        kib,
                        kib))
                .toList();
        List<SysctlStatus> sysctls = new ArrayList<>();
        for (int i = 0; i < TcpHealthNodeStatus.MAX_SYSCTLS; i++) {
            SysctlStatus st = new SysctlStatus();
            st.setName("net.ipv4.tcp_keepalive_time");
            st.setNetns("net:[40265" + i + "]");
            st.setObserved(600L);
            st.setDesired(600L);
            st.setOriginal(7200L);
            st.setApplied(true);
            st.setPolicy("checkout-nodes");
            sysctls.add(st);
        }
        List<RemediationAction> actions = new ArrayList<>();
        for (int i = 0; i < TcpHealthNodeStatus.MAX_ACTIONS; i++) {
            RemediationAction a = new RemediationAction();
            a.setTime(start.toString());
            a.setKind(ActionKind.KillSocket);
            a.setTarget("10.0.0.1:9080 -> 10.0.0.2:40000");
            a.setResult(ActionResult.Done);
            a.setMessage(kib);
            actions.add(a);
        }
        TcpHealthNodeStatus s = status(
                scan,
                findings,
                new RoundRemedy(List.of(), List.of(), sysctls, List.of(), List.of(), java.util.Set.of(), 0),
                actions);
        assertThat(findings).hasSizeGreaterThan(TcpHealthNodeStatus.MAX_FINDINGS);
        assertThat(s.getFindings().size() + s.getFindingsTruncated()).isEqualTo(findings.size());
        return s;
    }

    private static TcpHealthNode node(String name, TcpHealthNodeStatus template, Instant heartbeat) {
        TcpHealthNode n = new TcpHealthNode();
        n.getMetadata().setName(name);
        n.getMetadata().setGeneration(1L);
        n.getMetadata().setCreationTimestamp("2025-12-31T00:00:00Z");
        TcpHealthNodeSpec spec = new TcpHealthNodeSpec();
        spec.setPolicies(List.of("p"));
        spec.setInterval(new Sourced<>("30s", "p"));
        n.setSpec(spec);
        TcpHealthNodeStatus s = copy(template);
        s.setHeartbeat(heartbeat.toString());
        n.setStatus(s);
        return n;
    }

    /** A shallow copy: the lists are shared (read-only here), the heartbeat is the node's own. */
    private static TcpHealthNodeStatus copy(TcpHealthNodeStatus t) {
        TcpHealthNodeStatus s = new TcpHealthNodeStatus();
        s.setLastScan(t.getLastScan());
        s.setStates(t.getStates());
        s.setOrphans(t.getOrphans());
        s.setZombies(t.getZombies());
        s.setFindings(t.getFindings());
        s.setFindingsTruncated(t.getFindingsTruncated());
        s.setSysctls(t.getSysctls());
        s.setActions(t.getActions());
        s.setAppliedPolicies(t.getAppliedPolicies());
        s.setObservedSpecGeneration(t.getObservedSpecGeneration());
        s.setConditions(t.getConditions());
        return s;
    }

    private static TcpHealthPolicy policy() {
        TcpHealthPolicy p = new TcpHealthPolicy();
        p.getMetadata().setName("p");
        p.getMetadata().setGeneration(1L);
        p.getSpec().setNodeSelector(new LabelSelectorBuilder().build());
        return p;
    }
}
