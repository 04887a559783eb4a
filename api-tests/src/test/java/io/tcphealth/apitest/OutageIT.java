package io.tcphealth.apitest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * On a control plane of its own: the operator rewrites both nodes' specs while their agents write statuses, for a
 * minute, with no update lost and no conflict storm; then the API server is stopped for a minute and started
 * again: the agents keep scanning and enforcing meanwhile, report what changed once it is back, and the operator
 * carries on.
 */
class OutageIT {

    static final String POLICY = "outage-tuning";
    static final Map<String, String> POOL = Map.of("tcphealth.io/pool", "outage");
    private static final Pattern CONFLICT = Pattern.compile("code=409");

    @Test
    void specAndStatusWritersDoNotCollideAndAnApiServerOutageLosesNothing() throws Exception {
        List<AgentNode> agents = new ArrayList<>();
        OperatorReplica operator = null;
        try (ControlPlane plane = ControlPlane.start(ControlPlaneBinaries.locate(), "outage")) {
            try {
                KubernetesClient admin = plane.admin();
                SharedControlPlane.installCrds(plane);
                InstalledChart chart = InstalledChart.install(plane, Map.of());
                for (String node : List.of("out-1", "out-2")) {
                    Identities.node(admin, node, POOL);
                }
                operator = OperatorReplica.start(plane, chart, "tcphealth-operator-outage");
                TcpHealthPolicy policy = Policies.observe(POLICY, POOL);
                Sysctls sysctls = new Sysctls();
                sysctls.setTcpKeepaliveTime(600);
                policy.getSpec().setSysctls(sysctls);
                policy.getSpec().getRemediation().setMode(RemediationMode.Enforce);
                admin.resource(policy).create();
                DaemonSet daemonSet = await().atMost(Duration.ofSeconds(90))
                        .until(
                                () -> admin.apps()
                                        .daemonSets()
                                        .inNamespace(InstalledChart.AGENT_NAMESPACE)
                                        .withName("tcphealth-agent")
                                        .get(),
                                d -> d != null);
                for (String node : List.of("out-1", "out-2")) {
                    agents.add(AgentNode.start(plane, daemonSet, node));
                }
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> keepaliveTime(agents.get(0)).equals("600")
                                && keepaliveTime(agents.get(1)).equals("600"));

                // A minute of the operator writing specs while the agents write statuses: every spec change is a new
                // generation of both TcpHealthNodes, every new socket population a status write.
                Instant until = Instant.now().plusSeconds(60);
                int threshold = 10;
                int round = 0;
                while (Instant.now().isBefore(until)) {
                    int value = threshold + round++;
                    // The operator writes the policy's status meanwhile: a 409 is the server's answer to a stale
                    // copy, and a user would read it again and retry, as this does.
                    await().atMost(Duration.ofSeconds(30))
                            .ignoreExceptionsMatching(
                                    e -> e instanceof KubernetesClientException k && k.getCode() == 409)
                            .until(
                                    () -> admin.resources(TcpHealthPolicy.class)
                                            .withName(POLICY)
                                            .edit(p -> {
                                                p.getSpec().getThresholds().setCloseWaitPerProcess(value);
                                                return p;
                                            }),
                                    p -> p != null);
                    agents.get(round % 2).netns().socklab("closewait", "127.0.0.1", 9000 + round, 1);
                    Thread.sleep(5_000);
                }
                int last = threshold + round - 1;
                int rounds = round;
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    for (AgentNode agent : agents) {
                        TcpHealthNode node = admin.resources(TcpHealthNode.class)
                                .withName(agent.node())
                                .get();
                        assertThat(node.getSpec()
                                        .getThresholds()
                                        .getCloseWaitPerProcess()
                                        .getValue())
                                .isEqualTo(last);
                        assertThat(node.getStatus().getObservedSpecGeneration())
                                .isEqualTo(node.getMetadata().getGeneration());
                        assertThat(node.getStatus().getStates().getCloseWait())
                                .isEqualTo(
                                        agent.netns().ss("state", "close-wait").size());
                    }
                });
                long conflicts = operator.process()
                        .log()
                        .lines()
                        .filter(l -> CONFLICT.matcher(l).find())
                        .count();
                System.out.printf(
                        "Spec/status concurrency: %d policy changes, %d conflicts (409) in the operator's log%n",
                        rounds, conflicts);
                assertThat(conflicts)
                        .as("409 answers to the operator over %d spec changes", rounds)
                        .isLessThanOrEqualTo(rounds / 2);

                // The outage: a minute without an API server.
                plane.stopApiServer();
                Instant down = Instant.now();
                agents.get(1).netns().exec("sysctl", "-q", "-w", "net.ipv4.tcp_keepalive_time=7200");
                int made = 3;
                agents.get(0).netns().socklab("closewait", "127.0.0.1", 8800, made);
                // An agent that starts while the API server is away (a node rebooting during an outage) cannot list
                // its TcpHealthNode; once the server is back it must learn it and report, not scan on with defaults.
                agents.get(0).stopProcess();
                agents.get(0).startProcess();
                // Still enforcing: the drifted sysctl is put back without any API server.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> keepaliveTime(agents.get(1)).equals("600"));
                long toWait = 60_000 - Duration.between(down, Instant.now()).toMillis();
                if (toWait > 0) {
                    Thread.sleep(toWait);
                }
                for (AgentNode agent : agents) {
                    assertThat(agent.process().alive())
                            .as("the agent of %s survives the outage", agent.node())
                            .isTrue();
                }
                // Without the API server the leader cannot renew its Lease; like every leader-elected controller it
                // exits rather than risk two leaders, and the kubelet starts the container again.
                boolean exited = !operator.process().alive();
                if (exited) {
                    assertThat(operator.process().log())
                            .contains("Stopped leading for identity: tcphealth-operator-outage");
                }
                plane.startApiServer();
                if (exited) {
                    operator.restart();
                }

                int expected = agents.get(0).netns().ss("state", "close-wait").size();
                await().atMost(Duration.ofSeconds(150)).ignoreExceptions().untilAsserted(() -> {
                    TcpHealthNode node = admin.resources(TcpHealthNode.class)
                            .withName("out-1")
                            .get();
                    assertThat(node.getStatus().getStates().getCloseWait()).isEqualTo(expected);
                    TcpHealthPolicy after = admin.resources(TcpHealthPolicy.class)
                            .withName(POLICY)
                            .get();
                    long total = 0;
                    for (AgentNode agent : agents) {
                        total += agent.netns().ss("state", "close-wait").size();
                    }
                    assertThat(after.getStatus().getTotals().getCloseWait()).isEqualTo(total);
                });
                // The operator reconciles again: a node joining after the outage gets its TcpHealthNode.
                Identities.node(admin, "out-3", POOL);
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> admin.resources(TcpHealthNode.class)
                                        .withName("out-3")
                                        .get()
                                != null);

                admin.resources(TcpHealthPolicy.class).withName(POLICY).delete();
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> admin.resources(TcpHealthPolicy.class)
                                        .withName(POLICY)
                                        .get()
                                == null);
                for (AgentNode agent : agents) {
                    assertThat(keepaliveTime(agent))
                            .as("restored on %s", agent.node())
                            .isEqualTo("7200");
                }
                assertThat(ApiRefusals.in(operator.process().log()))
                        .as("refused requests in the operator's log")
                        .isEmpty();
                for (AgentNode agent : agents) {
                    assertThat(ApiRefusals.in(agent.process().log()))
                            .as("refused requests of the agent of %s", agent.node())
                            .isEmpty();
                }
            } finally {
                // Before the control plane goes: the agents and the operator first.
                agents.forEach(AgentNode::close);
                if (operator != null) {
                    operator.close();
                }
            }
        }
    }

    private static String keepaliveTime(AgentNode agent) throws IOException {
        return agent.netns().exec("sysctl", "-n", "net.ipv4.tcp_keepalive_time").trim();
    }
}
