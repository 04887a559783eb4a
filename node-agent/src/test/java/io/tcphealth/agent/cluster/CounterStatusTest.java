package io.tcphealth.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ContainerRef;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.TcpCounter;
import io.tcphealth.agent.proc.TcpCounters;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.NamespaceCounters;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterStatusTest {
    private static final NetNamespace HOST = new NetNamespace(1, Path.of("/proc/1/ns/net"), true, List.of(1));

    private static NamespaceScan ns(NetNamespace n, TcpCounters c) {
        return new NamespaceScan(n, List.of(), null, null, null, c);
    }

    private static TcpCounters rose(Map<TcpCounter, Long> rise) {
        Map<String, Long> before = new java.util.HashMap<>();
        Map<String, Long> after = new java.util.HashMap<>();
        for (TcpCounter c : TcpCounter.values()) {
            before.put(c.qualifiedName(), 100L);
            after.put(c.qualifiedName(), 100L + rise.getOrDefault(c, 0L));
        }
        return TcpCounters.of(after).since(TcpCounters.of(before), 30);
    }

    @Test
    void theHostFirstThenPodsWhoseCountersRoseBusiestFirstWithTheirPods() {
        NetNamespace quiet = new NetNamespace(2, Path.of("/proc/20/ns/net"), false, List.of(20));
        NetNamespace busy = new NetNamespace(3, Path.of("/proc/30/ns/net"), false, List.of(30));
        NetNamespace some = new NetNamespace(4, Path.of("/proc/40/ns/net"), false, List.of(40));
        ProcessInfo inPod = new ProcessInfo(
                30,
                1,
                'S',
                "java",
                1,
                1,
                10,
                1024,
                false,
                new ContainerRef("containerd", "c".repeat(64), "0b6c5f4e-1111-2222-3333-444455556666"));
        NodeScan scan = new NodeScan(
                Instant.EPOCH,
                1,
                "test",
                List.of(
                        ns(HOST, rose(Map.of())),
                        ns(quiet, rose(Map.of())),
                        ns(some, rose(Map.of(TcpCounter.RETRANS_SEGS, 2L))),
                        ns(busy, rose(Map.of(TcpCounter.LISTEN_OVERFLOWS, 40L, TcpCounter.LISTEN_DROPS, 40L)))),
                Map.of(30, inPod),
                Map.of(),
                List.of());

        List<NamespaceCounters> out = CounterStatus.of(scan);

        assertThat(out).extracting(NamespaceCounters::getNetns).containsExactly("host", "netns:[3]", "netns:[4]");
        assertThat(out.get(0).getIncrease()).isEmpty();
        assertThat(out.get(1).getIncrease())
                .containsExactly(Map.entry("listen_overflows", 40L), Map.entry("listen_drops", 40L));
        assertThat(out.get(1).getPodUid()).isEqualTo("0b6c5f4e-1111-2222-3333-444455556666");
        assertThat(out.get(1).getSeconds()).isEqualTo(30);
    }

    @Test
    void nothingOnAFirstScanAndACappedListAfter() {
        NodeScan first = new NodeScan(
                Instant.EPOCH, 1, "test", List.of(ns(HOST, TcpCounters.of(Map.of()))), Map.of(), Map.of(), List.of());
        assertThat(CounterStatus.of(first)).isNull();

        List<NamespaceScan> many = new ArrayList<>();
        many.add(ns(HOST, rose(Map.of())));
        for (int i = 0; i < 30; i++) {
            many.add(ns(
                    new NetNamespace(100 + i, Path.of("/x"), false, List.of()),
                    rose(Map.of(TcpCounter.OUT_RSTS, (long) i + 1))));
        }
        TcpHealthNodeStatus status = new TcpHealthNodeStatus();
        CounterStatus.apply(status, new NodeScan(Instant.EPOCH, 1, "test", many, Map.of(), Map.of(), List.of()));
        assertThat(status.getNamespaceCounters()).hasSize(TcpHealthNodeStatus.MAX_NAMESPACE_COUNTERS);
        assertThat(status.getNamespaceCountersTruncated()).isEqualTo(31 - TcpHealthNodeStatus.MAX_NAMESPACE_COUNTERS);
        assertThat(status.getNamespaceCounters().get(1).getIncrease()).containsEntry("out_rsts", 30L);
    }
}
