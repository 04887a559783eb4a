package io.tcphealth.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.tcphealth.api.v1alpha1.Scope;
import io.tcphealth.api.v1alpha1.SysctlSetting;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A policy and labelled nodes against the mock API server: the DaemonSet and one TcpHealthNode per node. */
class FleetIT {

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
    void onePolicyOnThreeLabelledNodesGivesOneDaemonSetAndThreeTcpHealthNodes() {
        cluster.node("n1", Map.of("pool", "checkout"));
        cluster.node("n2", Map.of("pool", "checkout"));
        cluster.node("n3", Map.of("pool", "checkout"));
        cluster.node("other", Map.of("pool", "batch"));
        cluster.policy("checkout", spec -> {
            MockCluster.selectPool(spec, "checkout");
            spec.setInterval("15s");
            spec.setScope(Scope.AllNamespaces);
            Sysctls sysctls = new Sysctls();
            sysctls.setTcpKeepaliveTime(600);
            spec.setSysctls(sysctls);
        });

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.nodes())
                        .extracting(n -> n.getMetadata().getName())
                        .containsExactlyInAnyOrder("n1", "n2", "n3"));
        for (String name : List.of("n1", "n2", "n3")) {
            TcpHealthNode node = cluster.getNode(name);
            assertThat(node.getSpec().getPolicies()).containsExactly("checkout");
            assertThat(node.getSpec().getInterval().getValue()).isEqualTo("15s");
            assertThat(node.getSpec().getInterval().getSource()).isEqualTo("checkout");
            assertThat(node.getSpec().getScope().getValue()).isEqualTo(Scope.AllNamespaces);
            assertThat(node.getSpec().getSysctls())
                    .containsExactly(new SysctlSetting("net.ipv4.tcp_keepalive_time", 600L, "checkout"));
            assertThat(node.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("Node"));
        }
        DaemonSet daemonSet = await().atMost(Duration.ofSeconds(30)).until(cluster::daemonSet, ds -> ds != null);
        List<NodeSelectorTerm> terms = daemonSet
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
        assertThat(terms).singleElement().satisfies(term -> {
            assertThat(term.getMatchExpressions()).singleElement().satisfies(r -> {
                assertThat(r.getKey()).isEqualTo("pool");
                assertThat(r.getOperator()).isEqualTo("In");
                assertThat(r.getValues()).containsExactly("checkout");
            });
        });
        assertThat(daemonSet
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getSecurityContext()
                        .getCapabilities()
                        .getAdd())
                .contains("SYS_ADMIN");
        assertThat(cluster.client.apps().daemonSets().inAnyNamespace().list().getItems())
                .hasSize(1);
        // Reconciling started only after this operator took the leader election Lease.
        assertThat(cluster.client
                        .leases()
                        .inNamespace(MockCluster.NAMESPACE)
                        .withName("tcphealth-operator")
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .isNotBlank();
    }

    @Test
    void aHandEditedOrDeletedDaemonSetIsPutBack() {
        cluster.node("n1", Map.of("pool", "checkout"));
        cluster.policy("checkout", spec -> MockCluster.selectPool(spec, "checkout"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.daemonSet() != null);

        cluster.client
                .apps()
                .daemonSets()
                .inNamespace(MockCluster.NAMESPACE)
                .withName("tcphealth-agent")
                .edit(ds -> {
                    ds.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .getFirst()
                            .setImage("registry.example/other:latest");
                    ds.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .getFirst()
                            .getSecurityContext()
                            .setPrivileged(true);
                    return ds;
                });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var agent = cluster.daemonSet()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .getFirst();
            assertThat(agent.getImage()).isEqualTo("registry.example/tcphealth-agent:test");
            assertThat(agent.getSecurityContext().getPrivileged()).isFalse();
        });

        cluster.client
                .apps()
                .daemonSets()
                .inNamespace(MockCluster.NAMESPACE)
                .withName("tcphealth-agent")
                .delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.daemonSet() != null);
    }

    @Test
    void aRelabelledNodeKeepsItsAgentUntilItHasUndoneThePolicy() {
        cluster.node("n1", Map.of("pool", "checkout"));
        cluster.node("n2", Map.of("pool", "checkout"));
        cluster.policy("checkout", spec -> MockCluster.selectPool(spec, "checkout"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.nodes().size() == 2);
        cluster.report("n1", status -> {
            status.setHeartbeat(java.time.Instant.now().toString());
            status.setAppliedPolicies(List.of("checkout"));
            return status;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var status = cluster.getPolicy("checkout").getStatus();
            return status != null && status.getNodes().getReporting() == 1;
        });

        cluster.relabel("n1", Map.of("pool", "batch"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            TcpHealthNode n1 = cluster.getNode("n1");
            assertThat(n1.getSpec().getPolicies()).isEmpty();
            assertThat(n1.getSpec().getDepartingPolicies())
                    .extracting(d -> d.getPolicy())
                    .containsExactly("checkout");
            assertThat(terms(cluster.daemonSet()))
                    .anySatisfy(t -> assertThat(t.getMatchFields())
                            .singleElement()
                            .satisfies(field -> assertThat(field.getValues()).containsExactly("n1")));
        });

        cluster.report("n1", status -> {
            status.setAppliedPolicies(List.of());
            return status;
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(cluster.getNode("n1")).isNull();
            assertThat(terms(cluster.daemonSet()))
                    .singleElement()
                    .satisfies(t -> assertThat(t.getMatchFields()).isEmpty());
        });
    }

    private static List<NodeSelectorTerm> terms(DaemonSet daemonSet) {
        return daemonSet
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
    }

    @Test
    void relabellingMovesANodeInAndOutAndADeletedNodeLosesItsTcpHealthNode() {
        cluster.node("n1", Map.of("pool", "checkout"));
        cluster.node("n2", Map.of("pool", "batch"));
        cluster.policy("checkout", spec -> MockCluster.selectPool(spec, "checkout"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.nodes())
                        .extracting(n -> n.getMetadata().getName())
                        .containsExactly("n1"));

        cluster.relabel("n2", Map.of("pool", "checkout"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.nodes())
                        .extracting(n -> n.getMetadata().getName())
                        .containsExactlyInAnyOrder("n1", "n2"));

        cluster.relabel("n1", Map.of("pool", "batch"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.nodes())
                        .extracting(n -> n.getMetadata().getName())
                        .containsExactly("n2"));

        cluster.client.nodes().withName("n2").delete();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.nodes()).isEmpty());
    }
}
