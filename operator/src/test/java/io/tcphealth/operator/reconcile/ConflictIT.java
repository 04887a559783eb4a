package io.tcphealth.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.tcphealth.api.v1alpha1.Conflict;
import io.tcphealth.api.v1alpha1.SysctlSetting;
import io.tcphealth.api.v1alpha1.Sysctls;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two policies that set the same sysctl differently on the same nodes. */
class ConflictIT {

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
    void theSamePolicyWinsEveryTimeAndTheLoserGetsAConflictCondition() {
        cluster.node("n1", Map.of("pool", "checkout"));
        cluster.node("n2", Map.of("pool", "checkout"));
        // Equal priorities: the name that sorts first wins, whatever the order of creation.
        cluster.policy("zeta", spec -> {
            MockCluster.selectPool(spec, "checkout");
            spec.setPriority(5);
            spec.setSysctls(keepalive(300));
        });
        cluster.policy("alpha", spec -> {
            MockCluster.selectPool(spec, "checkout");
            spec.setPriority(5);
            spec.setSysctls(keepalive(600));
        });

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : new String[] {"n1", "n2"}) {
                TcpHealthNode node = cluster.getNode(name);
                assertThat(node).isNotNull();
                assertThat(node.getSpec().getPolicies()).containsExactly("alpha", "zeta");
                assertThat(node.getSpec().getSysctls())
                        .containsExactly(new SysctlSetting("net.ipv4.tcp_keepalive_time", 600L, "alpha"));
                assertThat(node.getSpec().getConflicts()).singleElement().satisfies(c -> {
                    assertThat(c.getKey()).isEqualTo("sysctls.tcpKeepaliveTime");
                    assertThat(c.getWinner()).isEqualTo("alpha");
                    assertThat(c.getLosers()).containsExactly("zeta");
                });
            }
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Condition conflict = condition("zeta", Conditions.CONFLICT);
            assertThat(conflict.getStatus()).isEqualTo("True");
            assertThat(conflict.getMessage())
                    .contains("sysctls.tcpKeepaliveTime")
                    .contains("'alpha'")
                    .contains("2 nodes");
            assertThat(condition("alpha", Conditions.CONFLICT).getStatus()).isEqualTo("False");
        });

        // Further reconciles (agents reporting on both nodes) keep the same result: no flip-flopping.
        TcpHealthNode settled = cluster.getNode("n1");
        for (int i = 0; i < 3; i++) {
            double before = reconciles();
            for (String name : new String[] {"n1", "n2"}) {
                cluster.report(name, status -> {
                    status.setHeartbeat(Instant.now().toString());
                    status.setAppliedPolicies(List.of("alpha", "zeta"));
                    return status;
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> reconciles() >= before + 2);
            assertThat(cluster.getNode("n1").getSpec()).isEqualTo(settled.getSpec());
        }

        // Raising the loser's priority turns the result around, again on every node.
        cluster.client.resources(TcpHealthPolicy.class).withName("zeta").edit(p -> {
            p.getSpec().setPriority(50);
            return p;
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : new String[] {"n1", "n2"}) {
                TcpHealthNode node = cluster.getNode(name);
                assertThat(node.getSpec().getPolicies()).containsExactly("zeta", "alpha");
                assertThat(node.getSpec().getConflicts())
                        .extracting(Conflict::getWinner)
                        .containsExactly("zeta");
            }
            assertThat(condition("alpha", Conditions.CONFLICT).getStatus()).isEqualTo("True");
            assertThat(condition("alpha", Conditions.CONFLICT).getMessage()).contains("'zeta'");
            assertThat(condition("zeta", Conditions.CONFLICT).getStatus()).isEqualTo("False");
        });
    }

    private double reconciles() {
        io.micrometer.core.instrument.Counter counter =
                cluster.metrics.registry().find("tcphealth_operator_reconciles").counter();
        return counter == null ? 0 : counter.count();
    }

    private Condition condition(String policy, String type) {
        TcpHealthPolicy current = cluster.getPolicy(policy);
        assertThat(current.getStatus()).as("status of %s", policy).isNotNull();
        Condition condition = Conditions.find(current.getStatus().getConditions(), type);
        assertThat(condition).as("%s condition of %s", type, policy).isNotNull();
        return condition;
    }

    private static Sysctls keepalive(int seconds) {
        Sysctls sysctls = new Sysctls();
        sysctls.setTcpKeepaliveTime(seconds);
        return sysctls;
    }
}
