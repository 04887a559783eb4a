package io.tcphealth.apitest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A policy's whole life on the real server, under the chart's service accounts: TcpHealthNodes, the agents'
 * reports, the aggregated status and kubectl's columns; stuck sockets made in a node's namespace; Events shown by
 * kubectl describe; a priority conflict; deletion through the finalizer with the agent restoring its sysctl; and
 * a deleted Node's TcpHealthNode removed by the garbage collector while the operator is down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleIT {

    static final String POLICY = "life-observe";
    static final String LOSER = "life-slower";
    static final String TUNING = "life-tuning";
    static final List<String> NODES = List.of("life-1", "life-2");
    static final Map<String, String> POOL = Map.of("tcphealth.io/pool", "life");

    private ControlPlane plane;
    private KubernetesClient admin;
    private OperatorReplica operator;
    private final List<AgentNode> agents = new ArrayList<>();

    @BeforeAll
    void install() {
        plane = SharedControlPlane.get();
        admin = plane.admin();
        InstalledChart chart = SharedControlPlane.chart();
        plane.startGarbageCollector();
        for (String node : NODES) {
            Identities.node(admin, node, POOL);
        }
        operator = OperatorReplica.start(plane, chart, "tcphealth-operator-life");
        TcpHealthPolicy policy = Policies.observe(POLICY, POOL);
        policy.getSpec().setPriority(10);
        policy.getSpec().setPorts(List.of(9080));
        policy.getSpec().getThresholds().setCloseWaitPerProcess(2);
        // Said explicitly: the schema no longer defaults the mode, and the MODE column shows only what was written.
        policy.getSpec().getRemediation().setMode(RemediationMode.Observe);
        admin.resource(policy).create();
        DaemonSet daemonSet = await().atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
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
            for (String name : List.of(POLICY, LOSER, TUNING)) {
                // The operator may be stopped by now: nothing is left to restore, so the finalizer is let go by hand.
                admin.resources(TcpHealthPolicy.class)
                        .withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
                admin.resources(TcpHealthPolicy.class).withName(name).delete();
            }
        } catch (RuntimeException gone) {
            // deleted by the test
        } finally {
            agents.forEach(AgentNode::close);
            operator.close();
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

    @Test
    @Order(1)
    void stuckSocketsInANodesNamespaceReachKubectlGetTcphealth() throws IOException {
        agents.get(0).netns().socklab("closewait", "127.0.0.1", 9080, 3);
        assertThat(agents.get(0).netns().ss("state", "close-wait")).hasSize(3);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            TcpHealthNode node =
                    admin.resources(TcpHealthNode.class).withName("life-1").get();
            assertThat(node.getStatus().getStates().getCloseWait()).isEqualTo(3);
            assertThat(node.getStatus().getFindings())
                    .anySatisfy(f -> assertThat(f.getType()).isEqualTo("CloseWaitLeak"));
            TcpHealthPolicy policy =
                    admin.resources(TcpHealthPolicy.class).withName(POLICY).get();
            assertThat(policy.getStatus().getTotals().getCloseWait()).isEqualTo(3);
            assertThat(policy.getStatus().getNodes().getReporting()).isEqualTo(2);
        });
        assertThat(plane.kubectl().ok("get", "tcphealth", POLICY))
                .containsPattern(
                        "(?m)^NAME\\s+MODE\\s+NODES\\s+HEALTHY\\s+CLOSE_WAIT\\s+FIN_WAIT1\\s+ORPHANS\\s+ZOMBIES\\s+READY\\s+AGE$")
                .containsPattern(
                        "(?m)^" + POLICY + "\\s+Observe\\s+2\\s+\\d+\\s+3\\s+\\d+\\s+\\d+\\s+\\d+\\s+True\\s+\\S+$");
        assertThat(plane.kubectl().ok("get", "thn", "life-1"))
                .containsPattern(
                        "(?m)^life-1\\s+\\[\"" + POLICY + "\"\\]\\s+3\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\w+\\s+\\S+$");
    }

    @Test
    @Order(2)
    void theAgentsEventsAboutItsNodeAreShownByKubectlDescribe() {
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(plane.kubectl().ok("describe", "thn", "life-1"))
                                .containsPattern(
                                        "Warning\\s+CloseWaitLeak\\s+.*tcphealth-agent.*CLOSE_WAIT leak: 3 CLOSE_WAIT sockets on :9080"));
    }

    @Test
    @Order(3)
    void aLowerPriorityPolicyLosesTheConflictAndIsToldWhy() {
        TcpHealthPolicy slower = Policies.observe(LOSER, POOL);
        slower.getSpec().setPriority(5);
        slower.getSpec().setInterval("15s");
        admin.resource(slower).create();

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            TcpHealthPolicy loser =
                    admin.resources(TcpHealthPolicy.class).withName(LOSER).get();
            assertThat(loser.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Conflict");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getMessage()).contains("interval").contains(POLICY);
            });
            TcpHealthNode node =
                    admin.resources(TcpHealthNode.class).withName("life-1").get();
            assertThat(node.getSpec().getInterval().getValue()).isEqualTo("5s");
            assertThat(node.getSpec().getInterval().getSource()).isEqualTo(POLICY);
        });
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(plane.kubectl().ok("describe", "tcphealth", LOSER))
                        .containsPattern("Warning\\s+\\S+\\s+.*tcphealth-operator\\s+Conflict is True"));

        admin.resources(TcpHealthPolicy.class).withName(LOSER).delete();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() ->
                        admin.resources(TcpHealthPolicy.class).withName(LOSER).get() == null);
    }

    @Test
    @Order(4)
    void deletingAPolicyWaitsForTheAgentToPutItsSysctlBack() throws IOException {
        String before = keepaliveTime(agents.get(1));
        TcpHealthPolicy tuning = Policies.observe(TUNING, Map.of("kubernetes.io/hostname", "life-2"));
        tuning.getSpec().setPriority(20);
        Sysctls sysctls = new Sysctls();
        sysctls.setTcpKeepaliveTime(600);
        tuning.getSpec().setSysctls(sysctls);
        tuning.getSpec().getRemediation().setMode(RemediationMode.Enforce);
        admin.nodes().withName("life-2").edit(n -> {
            n.getMetadata().getLabels().put("kubernetes.io/hostname", "life-2");
            return n;
        });
        admin.resource(tuning).create();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> keepaliveTime(agents.get(1)).equals("600"));
        assertThat(keepaliveTime(agents.get(0)))
                .as("the other node is not selected")
                .isEqualTo(before);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            TcpHealthNode node =
                    admin.resources(TcpHealthNode.class).withName("life-2").get();
            return node.getStatus().getAppliedPolicies().contains(TUNING);
        });

        admin.resources(TcpHealthPolicy.class).withName(TUNING).delete();
        TcpHealthPolicy deleting =
                admin.resources(TcpHealthPolicy.class).withName(TUNING).get();
        assertThat(deleting)
                .as("held by the finalizer until the agent has restored")
                .isNotNull();
        assertThat(deleting.getMetadata().getFinalizers()).contains("tcphealth.io/restore");
        await().atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
                .until(() ->
                        admin.resources(TcpHealthPolicy.class).withName(TUNING).get() == null);
        assertThat(keepaliveTime(agents.get(1))).isEqualTo(before);
    }

    @Test
    @Order(5)
    void aDeletedNodesTcpHealthNodeGoesWithItEvenWhileTheOperatorIsDown() {
        assertThat(admin.resources(TcpHealthNode.class)
                        .withName("life-2")
                        .get()
                        .getMetadata()
                        .getOwnerReferences())
                .anySatisfy(o -> assertThat(o.getKind()).isEqualTo("Node"));
        operator.stop();
        admin.nodes().withName("life-2").delete();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() ->
                        admin.resources(TcpHealthNode.class).withName("life-2").get() == null);
        assertThat(admin.resources(TcpHealthNode.class).withName("life-1").get())
                .isNotNull();
    }

    @Test
    @Order(6)
    void noRequestOfTheOperatorOrTheAgentsWasRefused() {
        assertThat(ApiRefusals.in(operator.process().log()))
                .as("refused requests in the operator's log")
                .isEmpty();
        for (AgentNode agent : agents) {
            assertThat(ApiRefusals.in(agent.process().log()))
                    .as("refused requests in the agent log of %s", agent.node())
                    .isEmpty();
        }
    }

    private static String keepaliveTime(AgentNode agent) throws IOException {
        return agent.netns().exec("sysctl", "-n", "net.ipv4.tcp_keepalive_time").trim();
    }
}
