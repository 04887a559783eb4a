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
import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
