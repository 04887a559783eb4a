package io.tcphealth.operator.fleet;

import static io.tcphealth.operator.TestObjects.status;
import static io.tcphealth.operator.TestObjects.tcpHealthNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.api.v1alpha1.LastScan;
import io.tcphealth.api.v1alpha1.Sourced;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLivenessTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private final NodeLiveness liveness = new NodeLiveness(Duration.ofMinutes(1), Duration.ofSeconds(30));

    @Test
    void theWindowIsThreeOfTheLongerOfScanIntervalAndHeartbeatPlusTheGrace() {
        TcpHealthNode fast = tcpHealthNode("fast", List.of("p"), null);
        TcpHealthNode slow = tcpHealthNode("slow", List.of("p"), null);
        slow.getSpec().setInterval(new Sourced<>("5m", "p"));

        assertThat(liveness.window(fast)).isEqualTo(Duration.ofSeconds(210));
        assertThat(liveness.window(slow)).isEqualTo(Duration.ofSeconds(930));
    }

    @Test
    void theNewestOfHeartbeatAndLastScanCounts() {
        TcpHealthNode node = tcpHealthNode("n", List.of("p"), status(NOW.minusSeconds(600), true, List.of()));
        assertThat(liveness.stale(node, NOW)).isTrue();

        LastScan scan = new LastScan();
        scan.setTime(NOW.minusSeconds(60).toString());
        node.getStatus().setLastScan(scan);
        assertThat(liveness.stale(node, NOW)).isFalse();
        assertThat(NodeLiveness.lastReport(node)).contains(NOW.minusSeconds(60));
    }

    @Test
    void aNodeThatNeverReportedIsStaleOnceItsTcpHealthNodeIsOlderThanTheWindow() {
        TcpHealthNode node = tcpHealthNode("n", List.of("p"), null);
        node.getMetadata().setCreationTimestamp(NOW.minusSeconds(100).toString());
        assertThat(liveness.stale(node, NOW)).isFalse();
        assertThat(NodeLiveness.reported(node)).isFalse();

        node.getMetadata().setCreationTimestamp(NOW.minusSeconds(300).toString());
        assertThat(liveness.stale(node, NOW)).isTrue();
    }

    @Test
    void anUnreadableHeartbeatIsNoReport() {
        TcpHealthNode node = tcpHealthNode("n", List.of("p"), status(NOW, true, List.of()));
        node.getStatus().setHeartbeat("yesterday");

        assertThat(NodeLiveness.reported(node)).isFalse();
    }
}
