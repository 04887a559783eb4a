package io.tcphealth.apitest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chart's RBAC and admission policy for real: two operator replicas and three agents run under tokens of
 * the chart's own service accounts (never as admin), with leader election on. Each agent writes its own node's
 * status and is refused every other node's; the second replica takes over when the first stops; no request of
 * theirs is ever refused (403) or found invalid (422).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartSecurityIT {

    static final String POLICY = "security-observe";
    static final List<String> NODES = List.of("sec-1", "sec-2", "sec-3");
    static final Map<String, String> POOL = Map.of("tcphealth.io/pool", "security");

    private ControlPlane plane;
    private KubernetesClient admin;
    private final List<OperatorReplica> operators = new ArrayList<>();
    private final List<AgentNode> agents = new ArrayList<>();

    @BeforeAll
    void install() throws Exception {
        plane = SharedControlPlane.get();
        admin = plane.admin();
        InstalledChart chart = SharedControlPlane.chart();
        for (String node : NODES) {
            Identities.node(admin, node, POOL);
        }
        operators.add(OperatorReplica.start(plane, chart, "tcphealth-operator-a"));
        await().atMost(Duration.ofSeconds(60)).until(() -> holder().equals("tcphealth-operator-a"));
        operators.add(OperatorReplica.start(plane, chart, "tcphealth-operator-b"));
        admin.resource(Policies.observe(POLICY, POOL)).create();
        DaemonSet daemonSet = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> admin.apps()
                                .daemonSets()
                                .inNamespace(InstalledChart.AGENT_NAMESPACE)
                                .withName("tcphealth-agent")
                                .get(),
                        d -> d != null);
        for (String node : NODES) {
            agents.add(AgentNode.start(plane, daemonSet, node));
        }
    }

    @AfterAll
    void stop() {
        try {
            if (admin != null) {
                admin.resources(TcpHealthPolicy.class).withName(POLICY).delete();
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> admin.resources(TcpHealthPolicy.class)
                                        .withName(POLICY)
                                        .get()
                                == null);
            }
        } finally {
            agents.forEach(AgentNode::close);
            operators.forEach(OperatorReplica::close);
            if (admin != null) {
                for (String node : NODES) {
                    admin.nodes().withName(node).delete();
                    admin.resources(TcpHealthNode.class).withName(node).delete();
                }
                admin.pods()
                        .inNamespace(InstalledChart.AGENT_NAMESPACE)
                        .withGracePeriod(0)
                        .delete();
                admin.pods()
                        .inNamespace(InstalledChart.OPERATOR_NAMESPACE)
                        .withGracePeriod(0)
                        .delete();
            }
        }
    }

    @Test
    @Order(1)
    void eachAgentReportsItsOwnNodeUnderTheChartsServiceAccount() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String node : NODES) {
                TcpHealthNode thn =
                        admin.resources(TcpHealthNode.class).withName(node).get();
                assertThat(thn).as(node).isNotNull();
                assertThat(thn.getSpec().getPolicies()).containsExactly(POLICY);
                assertThat(thn.getStatus()).as("status of %s", node).isNotNull();
                assertThat(thn.getStatus().getAppliedPolicies()).containsExactly(POLICY);
                assertThat(thn.getStatus().getLastScan().getNamespaces()).isEqualTo(1);
                assertThat(thn.getMetadata().getManagedFields())
                        .as("who wrote %s", node)
                        .anyMatch(f -> "status".equals(f.getSubresource()) && f.getManager() != null);
            }
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            TcpHealthPolicy policy =
                    admin.resources(TcpHealthPolicy.class).withName(POLICY).get();
            assertThat(policy.getStatus().getNodes().getMatched()).isEqualTo(3);
            assertThat(policy.getStatus().getNodes().getReporting()).isEqualTo(3);
            assertThat(policy.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
            });
        });
    }

    @Test
    @Order(2)
    void anAgentIsRefusedEveryOtherNodesStatusByTheAdmissionPolicy() {
        AgentNode first = agents.get(0);
        try (KubernetesClient asAgent = plane.client(first.token())) {
            KubernetesClientException refused = statusPatchRefused(asAgent, "sec-2");
            assertThat(refused.getCode()).isEqualTo(403);
            assertThat(refused.getMessage())
                    .contains(
                            "ValidatingAdmissionPolicy 'tcphealth-agent-own-node' with binding 'tcphealth-agent-own-node' denied request")
                    .contains("the tcphealth agent on node sec-1 may write only TcpHealthNode sec-1, not sec-2");

            // RBAC alone: the spec is the operator's, policies are the users'.
            KubernetesClientException spec = refused(() -> asAgent.resources(TcpHealthNode.class)
                    .withName("sec-1")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"policies\":[]}}"));
            assertThat(spec.getCode()).isEqualTo(403);
            assertThat(spec.getMessage())
                    .contains("cannot patch resource \"tcphealthnodes\" in API group \"tcphealth.io\"");
            KubernetesClientException policy = refused(
                    () -> asAgent.resource(Policies.observe("agent-made", POOL)).create());
            assertThat(policy.getCode()).isEqualTo(403);
            assertThat(policy.getMessage()).contains("cannot create resource \"tcphealthpolicies\"");
        }
        // A token of the agents' account that names no node cannot write any node's status.
        try (KubernetesClient unbound = plane.client(
                Identities.unboundToken(admin, InstalledChart.AGENT_NAMESPACE, InstalledChart.AGENT_ACCOUNT))) {
            KubernetesClientException refused = statusPatchRefused(unbound, "sec-1");
            assertThat(refused.getCode()).isEqualTo(403);
            assertThat(refused.getMessage())
                    .contains("tcphealth agents must use a pod-bound service-account token that names their node");
        }
    }

    @Test
    @Order(3)
    void theSecondReplicaTakesOverWhenTheLeaderStops() {
        // Many renewals first: every one is an update of the Lease the chart's Role allows.
        Set<String> renewals = new HashSet<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    renewals.add(lease().getSpec().getRenewTime().toString());
                    return renewals.size() >= 10;
                });
        assertThat(holder()).isEqualTo("tcphealth-operator-a");
        assertThat(operators.get(1).process().log())
                .doesNotContain("Created TcpHealthNode")
                .doesNotContain("Updated TcpHealthNode");

        operators.get(0).stop();
        await().atMost(Duration.ofSeconds(60)).until(() -> holder().equals("tcphealth-operator-b"));

        // The new leader reconciles: a new node in the pool gets its TcpHealthNode.
        Identities.node(admin, "sec-4", POOL);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> admin.resources(TcpHealthNode.class)
                                    .withName("sec-4")
                                    .get()
                            != null);
            assertThat(operators.get(1).process().log()).contains("Created TcpHealthNode sec-4");
        } finally {
            admin.nodes().withName("sec-4").delete();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        admin.resources(TcpHealthNode.class).withName("sec-4").get() == null);
    }

    @Test
    @Order(4)
    void policyEventsAreStoredAndShownByKubectlDescribe() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(plane.kubectl().ok("describe", "tcphealth", POLICY))
                        .containsPattern("Events:\\s+Type\\s+Reason")
                        .containsPattern("Normal\\s+\\S+\\s+.*tcphealth-operator\\s+Ready is True"));
    }

    @Test
    @Order(5)
    void noRequestOfTheOperatorOrTheAgentsWasRefused() {
        for (OperatorReplica operator : operators) {
            assertThat(ApiRefusals.in(operator.process().log()))
                    .as("refused requests in %s's log", operator.name())
                    .isEmpty();
        }
        for (AgentNode agent : agents) {
            assertThat(ApiRefusals.in(agent.process().log()))
                    .as("refused requests in the agent log of %s", agent.node())
                    .isEmpty();
        }
    }

    private KubernetesClientException statusPatchRefused(KubernetesClient client, String node) {
        return refused(() -> client.resources(TcpHealthNode.class)
                .withName(node)
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"heartbeat\":\"2030-01-01T00:00:00Z\"}}"));
    }

    private static KubernetesClientException refused(Runnable call) {
        try {
            call.run();
        } catch (KubernetesClientException e) {
            return e;
        }
        throw new AssertionError("The request was accepted");
    }

    private Lease lease() {
        return admin.leases()
                .inNamespace(InstalledChart.AGENT_NAMESPACE)
                .withName("tcphealth-operator")
                .get();
    }

    private String holder() {
        Lease lease = lease();
        return lease == null || lease.getSpec().getHolderIdentity() == null
                ? ""
                : lease.getSpec().getHolderIdentity();
    }
}
