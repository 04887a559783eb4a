package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.DiagnosisThresholds;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.SocketAgeStore;
import io.tcphealth.agent.loop.RoundRemediator;
import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.remediation.Plan;
import io.tcphealth.agent.remediation.PlannedAction;
import io.tcphealth.agent.remediation.RemediationMemory;
import io.tcphealth.agent.remediation.RemediationPlanner;
import io.tcphealth.agent.remediation.SysctlRoots;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One agent against a fabric8 mock API server in CRUD mode: its own TcpHealthNode, its node's pods, status and Events. */
class ClusterAgentIT {
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void cluster() throws Exception {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new NodeFieldDispatcher(), false);
        server.init();
        client = server.createClient();
        try (InputStream in = getClass()
                .getClassLoader()
                .getResourceAsStream("META-INF/fabric8/tcphealthnodes.tcphealth.io-v1.yml")) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                    .create();
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void theAgentReportsItsNodeNamesThePodAndTellsThePod() {
        TcpHealthNode mine = ClusterAgentTest.node(1, ClusterAgentTest.spec(List.of("checkout")));
        mine.getMetadata().setUid(null);
        mine.getMetadata().setGeneration(null);
        client.resource(mine).create();
        TcpHealthNode other = ClusterAgentTest.node(1, ClusterAgentTest.spec(List.of("other")));
        other.getMetadata().setName("node-b");
        other.getMetadata().setUid(null);
        client.resource(other).create();
        // The API server gives the pod its UID; the agent reads it from the process's cgroup.
        String uid = client.pods()
                .inNamespace("shop")
                .resource(pod("checkout-7d9f", ClusterAgentTest.POD_UID, "node-a"))
                .create()
                .getMetadata()
                .getUid();
        client.pods()
                .inNamespace("shop")
                .resource(pod("elsewhere", "uid-b", "node-b"))
                .create();

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScanMetrics metrics = new ScanMetrics(registry);
        try (ClusterWiring wiring = new ClusterWiring(
                ClusterMode.client(client.getConfiguration()),
                "node-a",
                (scope, ports) -> ClusterAgentTest.leak(340, uid),
                new ObserveOnly(),
                Duration.ofMinutes(5),
                "default",
                metrics,
                Clock.systemUTC(),
                m -> {})) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                wiring.agent().runOnce();
                TcpHealthNode node =
                        client.resources(TcpHealthNode.class).withName("node-a").get();
                assertThat(node.getStatus()).isNotNull();
                assertThat(node.getStatus().getFindings())
                        .first()
                        .satisfies(f -> assertThat(f.getPod()).isEqualTo("shop/checkout-7d9f"));
                assertThat(events("shop")).isNotEmpty();
            });
            TcpHealthNode node =
                    client.resources(TcpHealthNode.class).withName("node-a").get();
            assertThat(node.getSpec().getPolicies())
                    .as("a status write leaves the spec alone")
                    .containsExactly("checkout");
            TcpHealthNodeStatus status = node.getStatus();
            assertThat(status.getAppliedPolicies()).containsExactly("checkout");
            assertThat(status.getHeartbeat()).isNotNull();
            assertThat(client.resources(TcpHealthNode.class)
                            .withName("node-b")
                            .get()
                            .getStatus())
                    .as("an agent writes only its own node")
                    .isNull();

            Event onPod = events("shop").getFirst();
            assertThat(onPod.getInvolvedObject().getKind()).isEqualTo("Pod");
            assertThat(onPod.getInvolvedObject().getName()).isEqualTo("checkout-7d9f");
            assertThat(onPod.getReason()).isEqualTo("CloseWaitLeak");
            assertThat(onPod.getMessage())
                    .startsWith("CLOSE_WAIT leak: 340 CLOSE_WAIT sockets on :9080 held by java (pid 4711)")
                    .endsWith("(container api)");
            assertThat(events("default"))
                    .extracting(e -> e.getInvolvedObject().getKind() + "/"
                            + e.getInvolvedObject().getName())
                    .contains("TcpHealthNode/node-a");
            assertThat(metrics.apiWrites("status", "ok")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void observedAgesSurviveARestartAndOlderThanActsOnThem(@TempDir Path journalDir) throws Exception {
        TcpHealthNode mine = ClusterAgentTest.node(1, ClusterAgentTest.spec(List.of("checkout")));
        mine.getMetadata().setUid(null);
        mine.getMetadata().setGeneration(null);
        client.resource(mine).create();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        AgentPolicy.KillRule tenMinutes = new AgentPolicy.KillRule(
                Set.of(TcpState.CLOSE_WAIT), Set.of(9080), Duration.ofMinutes(10), 100, Set.of());

        // First life: the leak is seen for the first time, so it is too young to act on.
        KillPlanner first = new KillPlanner(tenMinutes);
        runUntilPlanned(journalDir, start, first);
        assertThat(first.kills).isZero();
        assertThat(journalDir.resolve(SocketAgeStore.FILE)).exists();

        // A new agent on the same journal folder 11 minutes later knows the sockets were already stuck then.
        KillPlanner restarted = new KillPlanner(tenMinutes);
        runUntilPlanned(journalDir, start.plus(Duration.ofMinutes(11)), restarted);
        assertThat(restarted.oldest).isGreaterThanOrEqualTo(Duration.ofMinutes(11));
        assertThat(restarted.kills)
                .as("olderThan counts from the first life's sighting")
                .isEqualTo(3);

        // Without the journal folder the same restart would have forgotten them.
        KillPlanner forgetful = new KillPlanner(tenMinutes);
        runUntilPlanned(null, start.plus(Duration.ofMinutes(11)), forgetful);
        assertThat(forgetful.kills).isZero();
    }

    private void runUntilPlanned(Path journalDir, Instant scanTime, KillPlanner planner) {
        NodeScan scan = new Snapshot()
                .at(scanTime)
                .process(4711, "java", null, null)
                .sockets(3, TcpState.CLOSE_WAIT, 9080, 4711)
                .build();
        try (ClusterWiring wiring = new ClusterWiring(
                ClusterMode.client(client.getConfiguration()),
                "node-a",
                (scope, ports) -> scan,
                planner,
                Duration.ofMinutes(5),
                "default",
                new ScanMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
                Clock.systemUTC(),
                m -> {},
                journalDir)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                wiring.agent().runOnce();
                assertThat(planner.rounds).isPositive();
            });
        }
    }

    /** Plans the kill rule on what the agent hands its remediation step, as the real one does, and counts the kills. */
    private static final class KillPlanner implements RoundRemediator {
        private final AgentPolicy.KillRule rule;
        int rounds;
        int kills;
        Duration oldest = Duration.ZERO;

        KillPlanner(AgentPolicy.KillRule rule) {
            this.rule = rule;
        }

        @Override
        public RoundRemedy act(AgentPolicy policy, NodeScan scan, Ages ages, List<Finding> findings) {
            AgentPolicy killing = new AgentPolicy(
                    "p",
                    Duration.ofSeconds(30),
                    ScanScope.HOST,
                    List.of(9080),
                    DiagnosisThresholds.DEFAULTS,
                    Map.of(),
                    RemediationMode.DryRun,
                    rule,
                    null,
                    null,
                    true);
            Plan plan = new RemediationPlanner()
                    .plan(new RemediationPlanner.Input(
                            killing,
                            scan,
                            ages,
                            findings,
                            List.of(),
                            List.of(),
                            new RemediationMemory(),
                            new SysctlRoots(Path.of("/nonexistent/sys"), Path.of("/nonexistent/sys")),
                            scan.time()));
            NamespaceScan host = scan.host().orElseThrow();
            for (var s : host.sockets()) {
                Duration age = ages.socketAge(host.namespace(), s);
                if (age != null && age.compareTo(oldest) > 0) {
                    oldest = age;
                }
            }
            rounds++;
            kills = (int) plan.actions().stream()
                    .filter(a -> a instanceof PlannedAction.DestroySocket)
                    .count();
            return RoundRemedy.nothing();
        }

        @Override
        public void restoreDeparting(Set<String> policies) {}

        @Override
        public boolean restoreEverything() {
            return true;
        }

        @Override
        public void undoTransient() {}
    }

    private List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private static Pod pod(String name, String uid, String node) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("shop")
                .withUid(uid)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("api")
                .withImage("shop:1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("api")
                .withContainerID("containerd://" + ClusterAgentTest.CONTAINER)
                .endContainerStatus()
                .endStatus()
                .build();
    }
}
