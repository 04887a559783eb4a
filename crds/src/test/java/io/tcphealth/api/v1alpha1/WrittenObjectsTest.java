package io.tcphealth.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What the operator and the agent write, built from the Java types and serialized the way the fabric8 client
 * sends them, is accepted by the committed CRDs; the caps on lists are enforced.
 */
class WrittenObjectsTest {

    private static final StructuralSchema NODE_SCHEMA = Crds.schema(TcpHealthNode.class);
    private static final StructuralSchema POLICY_SCHEMA = Crds.schema(TcpHealthPolicy.class);

    @Test
    void fullyPopulatedNodeIsAccepted() {
        TcpHealthNode node = node(fullSpec(), fullStatus(TcpHealthNodeStatus.MAX_FINDINGS));

        assertThat(NODE_SCHEMA.admit(Crds.json(node))).isEmpty();
    }

    @Test
    void nodeRoundTripsThroughJson() {
        TcpHealthNode node = node(fullSpec(), fullStatus(3));

        TcpHealthNode back = Crds.SERIALIZATION.unmarshal(Crds.SERIALIZATION.asJson(node), TcpHealthNode.class);

        assertThat(back.getSpec()).isEqualTo(node.getSpec());
        assertThat(back.getStatus()).isEqualTo(node.getStatus());
    }

    @Test
    void findingsAboveTheCapAreRejected() {
        TcpHealthNode node = node(fullSpec(), fullStatus(TcpHealthNodeStatus.MAX_FINDINGS + 1));

        assertThat(NODE_SCHEMA.admit(Crds.json(node)))
                .extracting(SchemaViolation::toString)
                .containsExactly("status.findings: Too many: 51: must have at most 50 items");
    }

    @Test
    void conditionWithoutStatusIsRejected() {
        TcpHealthNodeStatus status = fullStatus(1);
        status.getConditions().add(new ConditionBuilder().withType("AgentReady").build());

        assertThat(NODE_SCHEMA.admit(Crds.json(node(fullSpec(), status))))
                .extracting(SchemaViolation::toString)
                .containsExactly("status.conditions[1].status: Required value");
    }

    @Test
    void policyStatusIsAcceptedUpToTenWorstNodes() {
        TcpHealthPolicy policy = policyWithWorstNodes(TcpHealthPolicyStatus.MAX_WORST_NODES);

        assertThat(POLICY_SCHEMA.admit(Crds.json(policy))).isEmpty();
    }

    @Test
    void policyStatusWithElevenWorstNodesIsRejected() {
        TcpHealthPolicy policy = policyWithWorstNodes(TcpHealthPolicyStatus.MAX_WORST_NODES + 1);

        assertThat(POLICY_SCHEMA.admit(Crds.json(policy)))
                .extracting(SchemaViolation::toString)
                .containsExactly("status.worstNodes: Too many: 11: must have at most 10 items");
    }

    @Test
    void defaultJavaPolicyIsWhatTheSchemaStoresForAnEmptyOne() {
        TcpHealthPolicy empty = new TcpHealthPolicy();
        empty.setMetadata(new ObjectMetaBuilder().withName("empty").build());
        empty.setSpec(null);

        TcpHealthPolicy stored =
                Crds.SERIALIZATION.convertValue(POLICY_SCHEMA.withDefaults(Crds.json(empty)), TcpHealthPolicy.class);

        assertThat(stored.getSpec()).isEqualTo(new TcpHealthPolicySpec());
    }

    @Test
    void defaultJavaRemediationStepsAreWhatTheSchemaStores() throws Exception {
        TcpHealthPolicy policy = new TcpHealthPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("steps").build());
        Remediation remediation = policy.getSpec().getRemediation();
        remediation.setKillSockets(new KillSockets());
        remediation.getKillSockets().setStates(List.of(SocketState.FIN_WAIT1));
        remediation.setFlushOrphans(new FlushOrphans());
        remediation.setZombies(new ZombieRemediation());
        JsonNode sparse = CommittedCrd.YAML.readTree("""
        apiVersion: tcphealth.io/v1alpha1
        kind: TcpHealthPolicy
        metadata: {name: steps}
        spec:
          remediation:
            killSockets: {states: [FIN_WAIT1]}
            flushOrphans: {}
            zombies: {}
        """);

        TcpHealthPolicy stored =
                Crds.SERIALIZATION.convertValue(POLICY_SCHEMA.withDefaults(sparse), TcpHealthPolicy.class);

        assertThat(POLICY_SCHEMA.admit(Crds.json(policy))).isEmpty();
        assertThat(stored.getSpec()).isEqualTo(policy.getSpec());
    }

    private static TcpHealthNode node(TcpHealthNodeSpec spec, TcpHealthNodeStatus status) {
        TcpHealthNode node = new TcpHealthNode();
        node.setMetadata(
                new ObjectMetaBuilder().withName("worker-1").withGeneration(3L).build());
        node.setSpec(spec);
        node.setStatus(status);
        return node;
    }

    private static TcpHealthNodeSpec fullSpec() {
        TcpHealthNodeSpec spec = new TcpHealthNodeSpec();
        spec.setPolicies(List.of("checkout-nodes", "observe-all-nodes"));
        spec.setInterval(new Sourced<>("30s", "checkout-nodes"));
        spec.setScope(new Sourced<>(Scope.AllNamespaces, "observe-all-nodes"));
        spec.setPorts(new Sourced<>(List.of(9080), "checkout-nodes"));
        EffectiveThresholds thresholds = new EffectiveThresholds();
        thresholds.setCloseWaitPerProcess(new Sourced<>(50, "checkout-nodes"));
        thresholds.setFinWait1(new Sourced<>(100, "checkout-nodes"));
        thresholds.setOrphanRatioWarning(new Sourced<>(0.25, "checkout-nodes"));
        thresholds.setOrphanRatioCritical(new Sourced<>(0.5, "checkout-nodes"));
        thresholds.setRecvQueueBytes(new Sourced<>(65536L, "checkout-nodes"));
        thresholds.setZombiesPerParent(new Sourced<>(5, "observe-all-nodes"));
        thresholds.setStuckAfter(new Sourced<>("5m", "checkout-nodes"));
        spec.setThresholds(thresholds);
        spec.setSysctls(List.of(
                new SysctlSetting("net.ipv4.tcp_keepalive_time", 600L, "checkout-nodes"),
                new SysctlSetting("net.ipv4.tcp_max_orphans", 131072L, "checkout-nodes")));
        EffectiveRemediation remediation = new EffectiveRemediation();
        remediation.setMode(new Sourced<>(RemediationMode.Enforce, "checkout-nodes"));
        KillSockets kill = new KillSockets();
        kill.setStates(List.of(SocketState.CLOSE_WAIT, SocketState.FIN_WAIT1));
        kill.setPorts(List.of(9080));
        remediation.setKillSockets(new Sourced<>(kill, "checkout-nodes"));
        remediation.setFlushOrphans(new Sourced<>(new FlushOrphans(), "checkout-nodes"));
        remediation.setZombies(new Sourced<>(new ZombieRemediation(), "checkout-nodes"));
        spec.setRemediation(remediation);
        Conflict conflict = new Conflict();
        conflict.setKey("scope");
        conflict.setWinner("checkout-nodes");
        conflict.setLosers(List.of("observe-all-nodes"));
        conflict.setMessage("scope: checkout-nodes (priority 10) wins over observe-all-nodes (priority 0)");
        spec.setConflicts(List.of(conflict));
        spec.setRestoreOnDelete(
                List.of(new PolicyRestore("checkout-nodes", true), new PolicyRestore("observe-all-nodes", true)));
        spec.setDepartingPolicies(List.of(new PolicyRestore("old-tuning", false)));
        return spec;
    }

    private static TcpHealthNodeStatus fullStatus(int findings) {
        TcpHealthNodeStatus status = new TcpHealthNodeStatus();
        LastScan scan = new LastScan();
        scan.setTime("2026-11-25T12:00:00Z");
        scan.setDurationMillis(143);
        scan.setNamespaces(12);
        scan.setSockets(100_000);
        scan.setSource("netlink");
        status.setLastScan(scan);
        status.setHeartbeat("2026-11-25T12:00:01Z");
        StateCounts states = new StateCounts();
        states.setEstablished(90_000);
        states.setCloseWait(1_200);
        states.setFinWait1(340);
        states.setListen(40);
        status.setStates(states);
        OrphanCounts orphans = new OrphanCounts();
        orphans.setCount(340);
        orphans.setMax(131072);
        orphans.setRatio(340.0 / 131072);
        status.setOrphans(orphans);
        ZombieCounts zombies = new ZombieCounts();
        zombies.setCount(7);
        zombies.setParents(1);
        status.setZombies(zombies);
        List<NodeFinding> list = new ArrayList<>();
        IntStream.range(0, findings).forEach(i -> list.add(finding(i)));
        status.setFindings(list);
        status.setFindingsTruncated(findings >= TcpHealthNodeStatus.MAX_FINDINGS ? 17 : 0);
        SysctlStatus sysctl = new SysctlStatus();
        sysctl.setName("net.ipv4.tcp_keepalive_time");
        sysctl.setNetns("host");
        sysctl.setObserved(600L);
        sysctl.setDesired(600L);
        sysctl.setOriginal(7200L);
        sysctl.setApplied(true);
        sysctl.setPolicy("checkout-nodes");
        status.setSysctls(List.of(sysctl));
        RemediationAction action = new RemediationAction();
        action.setTime("2026-11-25T11:59:00Z");
        action.setKind(ActionKind.KillSocket);
        action.setTarget("10.0.0.5:9080 -> 10.0.0.9:41234");
        action.setResult(ActionResult.Done);
        action.setMessage("Destroyed a FIN_WAIT1 socket held for 12 minutes");
        status.setActions(List.of(action));
        status.setAppliedPolicies(List.of("checkout-nodes"));
        status.setObservedSpecGeneration(3L);
        Condition healthy = new ConditionBuilder()
                .withType(ConditionTypes.HEALTHY)
                .withStatus("False")
                .withReason(ConditionReasons.CRITICAL_FINDINGS)
                .withMessage("java (pid 4242) holds 1200 CLOSE_WAIT sockets")
                .withLastTransitionTime("2026-11-25T11:00:00Z")
                .withObservedGeneration(3L)
                .build();
        status.setConditions(new ArrayList<>(List.of(healthy)));
        return status;
    }

    private static NodeFinding finding(int i) {
        NodeFinding finding = new NodeFinding();
        finding.setType("CloseWaitLeak");
        finding.setSeverity(i == 0 ? Severity.Critical : Severity.Warning);
        finding.setCount(1_200 - i);
        finding.setPort(9080);
        finding.setState("CLOSE_WAIT");
        finding.setPid(4242 + i);
        finding.setComm("java");
        finding.setContainerId("containerd://4f1c");
        finding.setPodUid("9b2d6a4e-1111-2222-3333-444455556666");
        finding.setPod("shop/checkout-7d9f");
        finding.setNetns("net:[4026532001]");
        finding.setAgeSeconds(2_520L);
        finding.setMessage("java (pid " + (4242 + i) + ") holds CLOSE_WAIT sockets on :9080 for 42 minutes");
        finding.setNextStep("The peer closed and the application never called close(); fix the connection handling.");
        return finding;
    }

    private static TcpHealthPolicy policyWithWorstNodes(int count) {
        TcpHealthPolicy policy = new TcpHealthPolicy();
        policy.setMetadata(new ObjectMetaBuilder()
                .withName("checkout-nodes")
                .withGeneration(2L)
                .build());
        TcpHealthPolicyStatus status = new TcpHealthPolicyStatus();
        status.setObservedGeneration(2L);
        NodeCounts nodes = new NodeCounts();
        nodes.setMatched(40);
        nodes.setReporting(39);
        nodes.setHealthy(25);
        nodes.setUnhealthy(14);
        nodes.setStale(1);
        status.setNodes(nodes);
        Totals totals = new Totals();
        totals.setCloseWait(5_000);
        totals.setFindings(30);
        status.setTotals(totals);
        List<NodeSummary> worst = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            NodeSummary summary = new NodeSummary();
            summary.setName("worker-" + i);
            summary.setHealthy(false);
            summary.setFindings(3);
            summary.setCloseWait(500 - i);
            summary.setWorstSeverity(Severity.Critical);
            summary.setMessage("CloseWaitLeak on :9080");
            worst.add(summary);
        }
        status.setWorstNodes(worst);
        status.setWorstNodesTruncated(Math.max(0, 14 - count));
        status.setConditions(List.of(new ConditionBuilder()
                .withType(ConditionTypes.READY)
                .withStatus("True")
                .withReason(ConditionReasons.IN_FORCE)
                .withLastTransitionTime("2026-11-25T11:00:00Z")
                .build()));
        policy.setStatus(status);
        return policy;
    }
}
