package io.tcphealth.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableRendererTest {
    private static final long DEMO_INODE = 4026532567L;

    private static Finding finding(String comm, String pod, String netns) {
        return new Finding(
                FindingType.CloseWaitLeak,
                Severity.Critical,
                123456,
                9080,
                "CLOSE_WAIT",
                2268113,
                comm,
                null,
                null,
                pod,
                netns,
                3600L,
                "123456 CLOSE_WAIT sockets on :9080 in " + netns + " held by " + comm
                        + " (pid 2268113). The peers closed these connections; "
                        + "the process has not closed its side, and only it can, see /very/long/path/that/does/not/fit/"
                        + "anywhere/on/one/line/of/a/narrow/terminal/at/all/really",
                "Restart it.");
    }

    private static NodeReport report(List<Finding> findings) {
        SocketStateCounts counts = new SocketStateCounts(100000, 0, 0, 20, 3, 45000, 0, 123456, 0, 12, 0);
        return new NodeReport(
                "node-a",
                new NodeReport.LastScan("2026-12-01T20:00:00Z", 120, 2, 268491, "netlink"),
                counts,
                new NodeReport.Orphans(20, 131072, 20 / 131072.0),
                new NodeReport.Zombies(3, 1),
                findings,
                0,
                List.of(new NodeReport.SysctlValue("net.ipv4.tcp_keepalive_time", "host", 7200L)),
                List.of(
                        new NodeReport.NamespaceSummary("host", 4026531840L, 312, "1 systemd", 268000, 20, counts),
                        new NodeReport.NamespaceSummary(
                                "netns:[" + DEMO_INODE + "]", DEMO_INODE, 2, "42 socklab", 491, 0, counts)),
                List.of("could not read /proc/42/fd: permission denied"));
    }

    @Test
    void everyLineFitsEightyColumnsAndNoNumberIsCut() {
        Finding f = finding("checkout-server", "shop/checkout-7d9f8b6c5-x2x4q", "netns:[" + DEMO_INODE + "]");
        String table = new TableRenderer(80).render(report(List.of(f)));

        assertThat(table.lines())
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        assertThat(table)
                .contains("123456")
                .contains("100000")
                .contains("45000")
                .contains("268491");
        String row =
                table.lines().filter(l -> l.startsWith("CRITICAL")).findFirst().orElseThrow();
        assertThat(row)
                .as("the pid stays when the process column is shortened")
                .contains("(2268113)")
                .contains("1h");
        assertThat(table).as("the whole message is there, wrapped").contains("of/a/narrow/terminal");
    }

    @Test
    void wideTerminalsGetFullHeadersAndTheWholeProcess() {
        Finding f = finding("checkout-server", "shop/checkout-7d9f8b6c5-x2x4q", "host");
        String table = new TableRenderer(160).render(report(List.of(f)));

        assertThat(table)
                .contains("CLOSE-WAIT")
                .contains("FIN-WAIT1")
                .contains("checkout-server (2268113) shop/checkout-7d9f8b6c5-x2x4q");
        assertThat(table.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(160));
    }

    @Test
    void namespacesShowTheirIpNetnsName() {
        Finding f = finding("socklab", null, "netns:[" + DEMO_INODE + "]");
        String table = new TableRenderer(100, Map.of(DEMO_INODE, "demo")).render(report(List.of(f)));

        assertThat(table.lines().filter(l -> l.startsWith("demo "))).hasSize(1);
        assertThat(table.lines()
                        .filter(l -> l.startsWith("CRITICAL"))
                        .findFirst()
                        .orElseThrow())
                .contains(" demo ");
        assertThat(table).as("in the messages too").doesNotContain("netns:[" + DEMO_INODE + "]");
    }

    @Test
    void processNamesWithEscapeSequencesAndNewlinesReachNoTerminal() {
        String hostile = "ev\u001b]0;owned\u0007il\nCRITICAL fake\r\u009b2J\u202e";
        String table = new TableRenderer(80).render(report(List.of(finding(hostile, null, "host"))));

        assertThat(table.chars().filter(c -> c < 0x20 && c != '\n').count()).isZero();
        assertThat(table)
                .doesNotContain("\u001b")
                .doesNotContain("\u0007")
                .doesNotContain("\u009b")
                .doesNotContain("\u202e");
        assertThat(table.lines().filter(l -> l.startsWith("CRITICAL")))
                .as("no forged line")
                .hasSize(1);
        assertThat(table).contains("ev?]0;owned?il?CRITICAL fake???2J?".substring(0, 10));
    }

    @Test
    void tooNarrowAWidthIsLaidOutAtTheMinimum() {
        String table = new TableRenderer(20).render(report(List.of(finding("x", null, "host"))));

        assertThat(table.lines())
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(TableRenderer.MIN_WIDTH));
    }
}
