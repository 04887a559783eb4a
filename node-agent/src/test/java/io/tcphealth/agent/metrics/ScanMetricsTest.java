package io.tcphealth.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.TcpCounter;
import io.tcphealth.agent.proc.TcpCounters;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.ActionKind;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.Severity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one metrics set of the agent, used by {@code run --policy} on a plain host and by the agent in a cluster:
 * after one round it serves every agent metric docs/metrics.md lists, under the documented name.
 */
class ScanMetricsTest {

    @Test
    void oneRoundServesEveryDocumentedAgentMetric() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScanMetrics metrics = new ScanMetrics(registry);
        NetNamespace host = new NetNamespace(4026531840L, Path.of("/proc/1/ns/net"), true, List.of(1));
        TcpCounters counters =
                new TcpCounters(Map.of(TcpCounter.LISTEN_OVERFLOWS, 7L), Map.of(TcpCounter.LISTEN_OVERFLOWS, 2L), 30);
        NodeScan scan = new NodeScan(
                Instant.EPOCH,
                5,
                "netlink",
                List.of(new NamespaceScan(
                        host,
                        List.of(),
                        new SockStat(0, 0, 3, 0, 0),
                        new TcpSysctls(65536, 7200, 75, 9, 60, 0),
                        null,
                        counters)),
                Map.of(),
                Map.of(),
                List.of());
        Finding warning = new Finding(
                FindingType.CloseWaitLeak,
                Severity.Warning,
                60,
                9080,
                "CLOSE_WAIT",
                42,
                "java",
                null,
                null,
                null,
                "host",
                null,
                "leak",
                "close it");
        RemediationAction kill = new RemediationAction();
        kill.setKind(ActionKind.KillSocket);
        kill.setResult(ActionResult.Failed);

        metrics.scanned(scan, List.of(warning));
        metrics.actions(List.of(kill));
        metrics.round(true);
        metrics.succeeded("status");
        String scrape = registry.scrape();

        List<String> documented = DocumentedMetrics.agent();
        assertThat(documented).hasSizeGreaterThan(10);
        assertThat(documented).allSatisfy(name -> assertThat(scrape).as(name).contains(name));
        assertThat(scrape)
                .contains(
                        "tcphealth_findings{severity=\"warning\"} 1.0",
                        "tcphealth_rounds_total 1.0",
                        "tcphealth_round_failures_total 1.0",
                        "tcphealth_remediation_actions_total{kind=\"kill_socket\",result=\"failed\"} 1.0");
    }
}
