package io.tcphealth.apitest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.operator.fleet.NodeLiveness;
import io.tcphealth.operator.status.PolicyStatusAggregator;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code kubectl get tcphealth} and {@code kubectl get thn} screens, printed by the real kubectl
 * from the real server's printer columns, for the field report's node and the status the operator's aggregator
 * computes from it. Only the ages differ (the objects here are seconds old).
 */
class PrinterColumnsIT {

    private static ControlPlane plane;

    @BeforeAll
    static void start() {
        plane = SharedControlPlane.get();
    }

    @AfterEach
    void cleanUp() {
        plane.admin()
                .resources(TcpHealthPolicy.class)
                .withName("observe-all-nodes")
                .delete();
        plane.admin().resources(TcpHealthNode.class).withName("tcphealth-node").delete();
    }

    @Test
    void kubectlPrintsWhatTheReadmeShows() throws IOException {
        KubernetesClient admin = plane.admin();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TcpHealthPolicy policy = admin.resource(admin.getKubernetesSerialization()
                        .unmarshal(
                                Files.readString(ProjectFiles.file("examples/observe-all-nodes.yaml")),
                                TcpHealthPolicy.class))
                .create();
        TcpHealthNode report = admin.getKubernetesSerialization()
                .unmarshal(
                        Files.readString(ProjectFiles.file("api-tests/src/test/resources/readme-cluster-node.yaml")),
                        TcpHealthNode.class);
        report.getStatus().getLastScan().setTime(now.minusSeconds(21).toString());
        report.getStatus().setHeartbeat(now.minusSeconds(21).toString());
        TcpHealthNode node = new TcpHealthNode();
        node.getMetadata().setName("tcphealth-node");
        node.setSpec(report.getSpec());
        node = admin.resource(node).create();
        node.setStatus(report.getStatus());
        node = admin.resource(node).updateStatus();
        policy.setStatus(new PolicyStatusAggregator(new NodeLiveness(Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .aggregate(policy, List.of(), List.of(node), now));
        admin.resource(policy).updateStatus();

        String readme = Files.readString(ProjectFiles.file("README.md"));
        String policies = plane.kubectl().ok("get", "tcphealth");
        String nodes = plane.kubectl().ok("get", "thn");

        assertThat(withoutLastColumn(policies)).isEqualTo(withoutLastColumn(screen(readme, "kubectl get tcphealth")));
        assertThat(withoutLastColumn(nodes)).isEqualTo(withoutLastColumn(screen(readme, "kubectl get thn")));
        assertThat(lastCells(policies)).element(1).asString().matches("\\d+s");
        assertThat(lastCells(nodes)).element(1).asString().matches("2\\ds");
    }

    /** The lines the README shows under {@code $ COMMAND}, up to the next prompt or the end of the block. */
    private static String screen(String readme, String command) {
        Matcher m = Pattern.compile("(?m)^\\$ " + Pattern.quote(command) + "\n((?:(?!\\$ |```).*\n)+)")
                .matcher(readme);
        assertThat(m.find()).as("the README shows `%s`", command).isTrue();
        return m.group(1);
    }

    /** Every line cut where the header's last column starts: the ages, which depend on when the test ran. */
    private static String withoutLastColumn(String table) {
        List<String> lines = table.lines().toList();
        int cut = lines.get(0).lastIndexOf("   ") + 3;
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line, 0, Math.min(cut, line.length())).append('\n');
        }
        return out.toString();
    }

    private static List<String> lastCells(String table) {
        List<String> lines = table.lines().toList();
        int cut = lines.get(0).lastIndexOf("   ") + 3;
        return lines.stream()
                .map(l -> l.length() > cut ? l.substring(cut).trim() : "")
                .toList();
    }
}
