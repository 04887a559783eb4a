package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.ActionKind;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.SysctlStatus;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every list in a node's status is capped, and what is left out is counted. */
class StatusBuilderTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void sysctlsAndActionsPastTheirCapsAreCounted() {
        List<SysctlStatus> sysctls = IntStream.range(0, TcpHealthNodeStatus.MAX_SYSCTLS + 6)
                .mapToObj(i -> {
                    SysctlStatus s = new SysctlStatus();
                    s.setName("net.ipv4.tcp_keepalive_time");
                    s.setNetns("netns:[" + (4026532000L + i) + "]");
                    s.setObserved(600L);
                    return s;
                })
                .toList();
        List<RemediationAction> actions = new ArrayList<>();
        for (int i = 0; i < TcpHealthNodeStatus.MAX_ACTIONS + 5; i++) {
            RemediationAction a = new RemediationAction();
            a.setKind(ActionKind.KillSocket);
            a.setResult(ActionResult.Done);
            a.setTarget("127.0.0.1:9080 -> 127.0.0.1:" + (40000 + i));
            a.setTime(NOW.minusSeconds(i).toString());
            actions.add(a);
        }

        TcpHealthNodeStatus status = new StatusBuilder()
                .build(new StatusBuilder.Input(
                        "node-a",
                        scan(),
                        List.of(),
                        new RoundRemedy(List.of(), List.of(), sysctls, List.of(), List.of(), Set.of(), 3),
                        actions,
                        List.of("p"),
                        1L,
                        null,
                        null,
                        NOW));

        assertThat(status.getSysctls()).hasSize(TcpHealthNodeStatus.MAX_SYSCTLS);
        assertThat(status.getSysctlsTruncated()).isEqualTo(6);
        assertThat(status.getActions()).hasSize(TcpHealthNodeStatus.MAX_ACTIONS);
        assertThat(status.getActionsTruncated()).isEqualTo(5);
        assertThat(status.getActions().get(0).getTarget()).as("newest kept").endsWith(":40000");
        assertThat(status.getPodNamespaceChanges())
                .as("what the operator keeps SYS_ADMIN for")
                .isEqualTo(3);
    }

    @Test
    void nothingLeftOutCountsZero() {
        TcpHealthNodeStatus status = new StatusBuilder()
                .build(new StatusBuilder.Input(
                        "node-a", scan(), List.of(), RoundRemedy.nothing(), List.of(), List.of(), 1L, null, null, NOW));

        assertThat(status.getSysctlsTruncated()).isZero();
        assertThat(status.getActionsTruncated()).isZero();
        assertThat(status.getFindingsTruncated()).isZero();
    }

    private static NodeScan scan() {
        NetNamespace host = new NetNamespace(4026531840L, Path.of("/proc/1/ns/net"), true, List.of(1));
        return new NodeScan(
                NOW,
                5,
                "netlink",
                List.of(new NamespaceScan(
                        host, List.of(), new SockStat(0, 0, 0, 0, 0), new TcpSysctls(65536, 7200, 75, 9, 60, 0))),
                Map.of(),
                Map.of(),
                List.of());
    }
}
