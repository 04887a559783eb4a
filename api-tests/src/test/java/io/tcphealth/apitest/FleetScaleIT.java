package io.tcphealth.apitest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcphealth.agent.cluster.KubeNodeStatusWriter;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * The fleet on the real server: {@code tcphealth.fleetNodes} Node objects (1,000 by default), the operator under
 * its service account creating their TcpHealthNodes, and agent-like writers (the agent's own status writer, one
 * JSON patch per node) reporting every node. Prints, and writes to {@code target/real-scale.txt}, the write
 * rates, etcd's size per node and how long the operator takes to aggregate a full round. Asserts on counts only.
 */
class FleetScaleIT {

    static final String POLICY = "fleet-observe";
    static final Map<String, String> POOL = Map.of("tcphealth.io/pool", "fleet");
    static final int WRITERS = 16;

    @Test
    void aThousandNodesOnTheRealServer() throws Exception {
        int nodes = Integer.getInteger("tcphealth.fleetNodes", 1000);
        ControlPlane plane = SharedControlPlane.get();
        KubernetesClient admin = plane.admin();
        InstalledChart chart = SharedControlPlane.chart();
        List<String> report = new ArrayList<>();
        OperatorReplica operator = null;
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            double nodesSeconds = parallel(pool, nodes, i -> Identities.node(admin, name(i), POOL));
            report.add(String.format(
                    "%d Node objects created in %.1f s (%.0f/s, %d writers)",
                    nodes, nodesSeconds, nodes / nodesSeconds, WRITERS));
            long etcdBefore = plane.etcdDatabaseBytes();

            operator = OperatorReplica.start(plane, chart, "tcphealth-operator-fleet");
            Instant created = Instant.now();
            admin.resource(Policies.observe(POLICY, POOL)).create();
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> admin
                                    .resources(TcpHealthNode.class)
                                    .withLabel("app.kubernetes.io/managed-by", "tcphealth-operator")
                                    .list()
                                    .getItems()
                                    .stream()
                                    .filter(n -> n.getMetadata().getName().startsWith("fleet-"))
                                    .count()
                            == nodes);
            double specSeconds = Duration.between(created, Instant.now()).toMillis() / 1000.0;
            report.add(String.format(
                    "Operator created %d TcpHealthNodes in %.1f s (%.0f writes/s)",
                    nodes, specSeconds, nodes / specSeconds));

            TcpHealthNodeStatus status = admin.getKubernetesSerialization()
                    .unmarshal(
                            Files.readString(ProjectFiles.file("api-tests/src/test/resources/busy-node.yaml")),
                            TcpHealthNode.class)
                    .getStatus();
            // Nothing applied, nothing to restore: deleting the policy at the end need not wait for these writers.
            status.setAppliedPolicies(List.of());
            for (int round = 1; round <= 2; round++) {
                String now = Instant.now().toString();
                status.setHeartbeat(now);
                status.getLastScan().setTime(now);
                status.setObservedSpecGeneration(1L);
                String body = admin.getKubernetesSerialization().asJson(status);
                TcpHealthNodeStatus written =
                        admin.getKubernetesSerialization().unmarshal(body, TcpHealthNodeStatus.class);
                double writeSeconds =
                        parallel(pool, nodes, i -> new KubeNodeStatusWriter(admin, name(i)).write(written));
                Instant wrote = Instant.now();
                await().atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions()
                        .until(() -> {
                            TcpHealthPolicy p = admin.resources(TcpHealthPolicy.class)
                                    .withName(POLICY)
                                    .get();
                            return p.getStatus().getNodes().getReporting() == nodes
                                    && p.getStatus().getTotals().getCloseWait() == 3L * nodes;
                        });
                double aggregation = Duration.between(wrote, Instant.now()).toMillis() / 1000.0;
                report.add(String.format(
                        "Round %d: %d status writes in %.1f s (%.0f writes/s, %d writers); policy status"
                                + " aggregated %.1f s after the last write",
                        round, nodes, writeSeconds, nodes / writeSeconds, WRITERS, aggregation));
            }
            long etcdAfter = plane.etcdDatabaseBytes();
            long json = admin.resources(TcpHealthNode.class).withName(name(0)).get() == null
                    ? 0
                    : admin.getKubernetesSerialization()
                            .asJson(admin.resources(TcpHealthNode.class)
                                    .withName(name(0))
                                    .get())
                            .length();
            report.add(String.format(
                    "etcd in use: %.1f MiB before the TcpHealthNodes, %.1f MiB after (%.1f KiB per node,"
                            + " uncompacted revisions included); one TcpHealthNode is %d bytes of JSON",
                    etcdBefore / 1048576.0, etcdAfter / 1048576.0, (etcdAfter - etcdBefore) / 1024.0 / nodes, json));
            TcpHealthPolicy aggregated =
                    admin.resources(TcpHealthPolicy.class).withName(POLICY).get();
            assertThat(aggregated.getStatus().getNodes().getMatched()).isEqualTo(nodes);
            assertThat(aggregated.getStatus().getNodes().getReporting()).isEqualTo(nodes);
            assertThat(ApiRefusals.in(operator.process().log())).isEmpty();
        } finally {
            report.forEach(System.out::println);
            Path out = Path.of(System.getProperty("tcphealth.logs", "target"))
                    .getParent()
                    .resolve("real-scale.txt");
            try {
                Files.write(out, report);
            } catch (IOException e) {
                System.err.println("Could not write " + out + ": " + e.getMessage());
            }
            try {
                admin.resources(TcpHealthPolicy.class).withName(POLICY).delete();
                await().atMost(Duration.ofMinutes(3))
                        .until(() -> admin.resources(TcpHealthPolicy.class)
                                        .withName(POLICY)
                                        .get()
                                == null);
            } finally {
                if (operator != null) {
                    operator.close();
                }
                parallel(pool, nodes, i -> admin.nodes().withName(name(i)).delete());
                admin.resources(TcpHealthNode.class)
                        .withLabel("app.kubernetes.io/managed-by", "tcphealth-operator")
                        .delete();
                admin.pods()
                        .inNamespace(InstalledChart.OPERATOR_NAMESPACE)
                        .withGracePeriod(0)
                        .delete();
                pool.shutdownNow();
            }
        }
    }

    private static String name(int i) {
        return "fleet-" + i;
    }

    /** Runs {@code work} for 0..n-1 on the pool; returns the wall-clock seconds it took. */
    private static double parallel(ExecutorService pool, int n, IntConsumer work) throws Exception {
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(pool.submit(() -> work.accept(index)));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
