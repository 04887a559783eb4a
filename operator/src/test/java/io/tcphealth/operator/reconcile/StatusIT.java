package io.tcphealth.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.tcphealth.api.v1alpha1.ConditionReasons;
import io.tcphealth.api.v1alpha1.ConditionTypes;
import io.tcphealth.api.v1alpha1.NodeFinding;
import io.tcphealth.api.v1alpha1.NodeSummary;
import io.tcphealth.api.v1alpha1.OrphanCounts;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.api.v1alpha1.StateCounts;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicyStatus;
import io.tcphealth.api.v1alpha1.ZombieCounts;
import io.tcphealth.operator.metrics.MetricsServer;
import io.tcphealth.operator.status.Conditions;
import io.tcphealth.testsupport.PrinterColumns;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Statuses written the way agents write them, and what the operator makes of them. */
class StatusIT {

    private static final String POLICIES_CRD = "META-INF/fabric8/tcphealthpolicies.tcphealth.io-v1.yml";
    private MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void agentReportsBecomeThePolicyStatusAndItsPrinterColumns() throws Exception {
        cluster.node("n1", Map.of("pool", "checkout"));
        cluster.node("n2", Map.of("pool", "checkout"));
        cluster.node("n3", Map.of("pool", "checkout"));
        cluster.policy("checkout", spec -> MockCluster.selectPool(spec, "checkout"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.nodes().size() == 3);

        Instant now = Instant.now();
        cluster.report("n1", status -> report(status, now, true, 3, 1, 2, 0, List.of()));
        cluster.report(
                "n2",
                status -> report(
                        status,
                        now,
                        false,
                        120,
                        0,
                        0,
                        4,
                        List.of(finding(
                                Severity.Critical,
                                "CloseWaitLeak",
                                "java (pid 4242) holds 120 CLOSE_WAIT sockets on port 9080"))));
        // An agent that went quiet two hours ago.
        cluster.report("n3", status -> report(status, now.minus(Duration.ofHours(2)), true, 7, 7, 7, 7, List.of()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            TcpHealthPolicyStatus status = cluster.getPolicy("checkout").getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getNodes().getMatched()).isEqualTo(3);
            assertThat(status.getNodes().getReporting()).isEqualTo(3);
            assertThat(status.getNodes().getHealthy()).isEqualTo(1);
            assertThat(status.getNodes().getUnhealthy()).isEqualTo(1);
            assertThat(status.getNodes().getStale()).isEqualTo(1);
            // The stale node's old counts are left out of the totals.
            assertThat(status.getTotals().getCloseWait()).isEqualTo(123);
            assertThat(status.getTotals().getFinWait1()).isEqualTo(1);
            assertThat(status.getTotals().getOrphans()).isEqualTo(2);
            assertThat(status.getTotals().getZombies()).isEqualTo(4);
            assertThat(status.getTotals().getFindings()).isEqualTo(1);
            assertThat(status.getWorstNodes()).extracting(NodeSummary::getName).containsExactly("n2", "n3");
            assertThat(status.getWorstNodes())
                    .first()
                    .satisfies(n -> assertThat(n.getMessage()).contains("CLOSE_WAIT"));
            assertThat(status.getWorstNodesTruncated()).isZero();
            assertThat(Conditions.find(status.getConditions(), Conditions.READY).getStatus())
                    .isEqualTo("False");
            assertThat(Conditions.find(status.getConditions(), Conditions.DEGRADED)
                            .getReason())
                    .isEqualTo("AgentsStale");
            assertThat(Conditions.find(status.getConditions(), Conditions.DEGRADED)
                            .getMessage())
                    .contains("n3");
        });
        Map<String, String> columns = PrinterColumns.of(POLICIES_CRD, cluster.getPolicy("checkout"));
        assertThat(columns)
                .containsEntry("Nodes", "3")
                .containsEntry("Healthy", "1")
                .containsEntry("CLOSE_WAIT", "123")
                .containsEntry("FIN_WAIT1", "1")
                .containsEntry("Zombies", "4")
                .containsEntry("Ready", "False");

        // The quiet agent comes back healthy: the policy is in force everywhere.
        cluster.report("n3", status -> report(status, Instant.now(), true, 0, 0, 0, 0, List.of()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            TcpHealthPolicy policy = cluster.getPolicy("checkout");
            assertThat(policy.getStatus().getNodes().getStale()).isZero();
            // Still degraded, now only by the node with findings.
            assertThat(Conditions.find(policy.getStatus().getConditions(), Conditions.DEGRADED)
                            .getReason())
                    .isEqualTo("NodesUnhealthy");
            assertThat(Conditions.find(policy.getStatus().getConditions(), Conditions.DEGRADED)
                            .getMessage())
                    .isEqualTo("1 node reports findings (see worstNodes): n2");
            assertThat(Conditions.find(policy.getStatus().getConditions(), Conditions.READY)
                            .getStatus())
                    .isEqualTo("True");
            assertThat(PrinterColumns.of(POLICIES_CRD, policy))
                    .containsEntry("Ready", "True")
                    .containsEntry("Healthy", "2");
        });
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.client
                                .v1()
                                .events()
                                .inNamespace("default")
                                .list()
                                .getItems())
                        .filteredOn(e -> "checkout".equals(e.getInvolvedObject().getName()))
                        .extracting(Event::getReason)
                        .contains("AgentsStale", "InForce", "NodesUnhealthy"));

        try (MetricsServer server = new MetricsServer(0, cluster.metrics::scrape)) {
            String scrape = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(scrape)
                    .contains("tcphealth_operator_reconciles_total{kind=\"TcpHealthPolicy\"}")
                    .contains("tcphealth_operator_reconcile_duration_seconds_count")
                    .contains("tcphealth_operator_reconcile_errors_total{kind=\"TcpHealthPolicy\"}")
                    .contains("tcphealth_operator_nodes{health=\"healthy\"} 2.0")
                    .contains("tcphealth_operator_nodes{health=\"unhealthy\"} 1.0");
        }
    }

    @Test
    void aSelectorTheSchemaAcceptsButTheOperatorCannotHonourDegradesThePolicy() {
        cluster.node("n1", Map.of("pool", "checkout"));
        cluster.policy(
                "odd",
                spec -> spec.setNodeSelector(new LabelSelectorBuilder()
                        .addNewMatchExpression()
                        .withKey("pool")
                        .withOperator("Matches")
                        .withValues("check.*")
                        .endMatchExpression()
                        .build()));
        cluster.policy("fine", spec -> MockCluster.selectPool(spec, "checkout"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            TcpHealthPolicyStatus status = cluster.getPolicy("odd").getStatus();
            assertThat(status).isNotNull();
            assertThat(Conditions.find(status.getConditions(), Conditions.DEGRADED)
                            .getStatus())
                    .isEqualTo("True");
            assertThat(Conditions.find(status.getConditions(), Conditions.DEGRADED)
                            .getReason())
                    .isEqualTo("InvalidSpec");
            assertThat(Conditions.find(status.getConditions(), Conditions.DEGRADED)
                            .getMessage())
                    .contains("nodeSelector.matchExpressions[0].operator")
                    .contains("Matches");
            assertThat(Conditions.find(status.getConditions(), Conditions.READY).getStatus())
                    .isEqualTo("False");
            // The valid policy is unaffected, and the bad selector never reaches the DaemonSet.
            assertThat(cluster.getNode("n1").getSpec().getPolicies()).containsExactly("fine");
            assertThat(cluster.daemonSet()).isNotNull();
            assertThat(cluster.daemonSet()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getAffinity()
                            .getNodeAffinity()
                            .getRequiredDuringSchedulingIgnoredDuringExecution()
                            .getNodeSelectorTerms())
                    .hasSize(1);
        });
    }

    @Test
    void heartbeatsThatChangeNothingCauseNoStatusWrite() {
        cluster.node("n1", Map.of("pool", "checkout"));
        cluster.policy("checkout", spec -> MockCluster.selectPool(spec, "checkout"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.getNode("n1") != null);
        cluster.report("n1", status -> report(status, Instant.now(), true, 5, 0, 0, 0, List.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            TcpHealthPolicyStatus status = cluster.getPolicy("checkout").getStatus();
            return status != null && status.getNodes().getHealthy() == 1;
        });
        String settled = cluster.getPolicy("checkout").getMetadata().getResourceVersion();

        for (int i = 0; i < 3; i++) {
            double before = reconciles();
            cluster.report("n1", status -> report(status, Instant.now(), true, 5, 0, 0, 0, List.of()));
            // Each heartbeat is seen (a reconcile runs) but leaves the aggregate as it was.
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciles() > before);
        }

        assertThat(cluster.getPolicy("checkout").getMetadata().getResourceVersion())
                .isEqualTo(settled);
    }

    private double reconciles() {
        io.micrometer.core.instrument.Counter counter =
                cluster.metrics.registry().find("tcphealth_operator_reconciles").counter();
        return counter == null ? 0 : counter.count();
    }

    private static TcpHealthNodeStatus report(
            TcpHealthNodeStatus status,
            Instant at,
            boolean healthy,
            long closeWait,
            long finWait1,
            long orphans,
            int zombies,
            List<NodeFinding> findings) {
        status.setHeartbeat(at.truncatedTo(ChronoUnit.SECONDS).toString());
        StateCounts states = new StateCounts();
        states.setCloseWait(closeWait);
        states.setFinWait1(finWait1);
        status.setStates(states);
        OrphanCounts orphanCounts = new OrphanCounts();
        orphanCounts.setCount(orphans);
        status.setOrphans(orphanCounts);
        ZombieCounts zombieCounts = new ZombieCounts();
        zombieCounts.setCount(zombies);
        status.setZombies(zombieCounts);
        status.setFindings(findings);
        status.setAppliedPolicies(List.of("checkout"));
        status.setConditions(List.of(new ConditionBuilder()
                .withType(ConditionTypes.HEALTHY)
                .withStatus(healthy ? "True" : "False")
                .withReason(
                        healthy
                                ? ConditionReasons.NO_PROBLEMS
                                : findings.stream().anyMatch(f -> f.getSeverity() == Severity.Critical)
                                        ? ConditionReasons.CRITICAL_FINDINGS
                                        : ConditionReasons.WARNING_FINDINGS)
                .withMessage("")
                .withLastTransitionTime(at.toString())
                .build()));
        return status;
    }

    private static NodeFinding finding(Severity severity, String type, String message) {
        NodeFinding finding = new NodeFinding();
        finding.setSeverity(severity);
        finding.setType(type);
        finding.setCount(1);
        finding.setMessage(message);
        return finding;
    }
}
