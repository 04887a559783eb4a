package io.tcphealth.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code diagnose -o json} and a TcpHealthNode status are one schema: the report reads as a status, field for field. */
class ReportSchemaTest {
    /** Fields only a one-shot report has: which node, per-namespace detail, and what could not be read. */
    private static final List<String> REPORT_ONLY = List.of("node", "namespaces", "problems");

    @Test
    void reportFieldsAreStatusFields() throws Exception {
        NetNamespace host = new NetNamespace(4026531840L, Path.of("/proc/1/ns/net"), true, List.of(1, 10));
        InetAddress lo = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        TcpSocket cw = new TcpSocket(TcpState.CLOSE_WAIT, lo, 9080, lo, 40000, 101, 0, TimerKind.NONE, 0, 0, 0, 55, 9);
        NodeScan scan = new NodeScan(
                Instant.parse("2026-01-01T00:00:00Z"),
                12,
                "netlink",
                List.of(new NamespaceScan(
                        host, List.of(cw), new SockStat(3, 2, 0, 5, 1), new TcpSysctls(65536, 7200, 75, 9, 60, 0))),
                Map.of(10, new ProcessInfo(10, 1, 'S', "java", 1, 1, 10, 1024, false, null)),
                Map.of(),
                List.of("could not read /proc/5/fd: permission denied"));
        Finding f = new Finding(
                FindingType.CloseWaitLeak,
                Severity.Warning,
                1,
                9080,
                "CLOSE_WAIT",
                10,
                "java",
                "abc",
                "0b6c5f4e-1111-2222-3333-444455556666",
                null,
                "host",
                120L,
                "msg",
                "next");
        NodeReport report = new ReportBuilder().build("node-a", scan, List.of(f));

        ObjectMapper json = new ObjectMapper();
        ObjectNode tree = (ObjectNode) json.readTree(ReportFormat.json.render(report));
        assertThat(tree.fieldNames()).toIterable().containsAll(REPORT_ONLY);
        tree.remove(REPORT_ONLY);

        TcpHealthNodeStatus status = json.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .treeToValue(tree, TcpHealthNodeStatus.class);

        assertThat(status.getStates().getCloseWait()).isEqualTo(1);
        assertThat(status.getLastScan().getSource()).isEqualTo("netlink");
        assertThat(status.getOrphans().getMax()).isEqualTo(65536);
        assertThat(status.getFindings()).singleElement().satisfies(x -> {
            assertThat(x.getType()).isEqualTo("CloseWaitLeak");
            assertThat(x.getPid()).isEqualTo(10);
            assertThat(x.getAgeSeconds()).isEqualTo(120L);
            assertThat(x.getNextStep()).isEqualTo("next");
        });
        assertThat(status.getSysctls())
                .anySatisfy(s -> assertThat(s.getName()).isEqualTo("net.ipv4.tcp_keepalive_time"));
    }
}
