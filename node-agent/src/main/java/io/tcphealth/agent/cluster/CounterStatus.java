package io.tcphealth.agent.cluster;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.TcpCounter;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.NamespaceCounters;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status's namespaceCounters: what each namespace's own TCP counters rose by since the previous scan. The
 * host's namespace always (once two readings exist), a pod's only when something rose, the busiest first,
 * capped. Pure.
 */
final class CounterStatus {

    private CounterStatus() {}

    /** Null when no namespace has two readings yet (the first scan). */
    static List<NamespaceCounters> of(NodeScan scan) {
        List<NamespaceCounters> hosts = new ArrayList<>();
        List<NamespaceCounters> pods = new ArrayList<>();
        for (NamespaceScan ns : scan.namespaces()) {
            if (ns.counters() == null || ns.counters().sincePrevious() == null) {
                continue;
            }
            Map<String, Long> increase = new LinkedHashMap<>();
            for (TcpCounter c : TcpCounter.values()) {
                long rise = ns.counters().rise(c);
                if (rise > 0) {
                    increase.put(c.label(), rise);
                }
            }
            if (!ns.namespace().host() && increase.isEmpty()) {
                continue;
            }
            NamespaceCounters entry = new NamespaceCounters();
            entry.setNetns(ns.namespace().label());
            entry.setPodUid(podUid(scan, ns));
            entry.setSeconds(ns.counters().seconds());
            entry.setIncrease(increase);
            (ns.namespace().host() ? hosts : pods).add(entry);
        }
        if (hosts.isEmpty() && pods.isEmpty()) {
            return null;
        }
        pods.sort(Comparator.comparingLong(CounterStatus::total).reversed().thenComparing(NamespaceCounters::getNetns));
        hosts.addAll(pods);
        return hosts;
    }

    static void apply(TcpHealthNodeStatus status, NodeScan scan) {
        List<NamespaceCounters> all = of(scan);
        if (all == null) {
            return;
        }
        int max = TcpHealthNodeStatus.MAX_NAMESPACE_COUNTERS;
        status.setNamespaceCounters(List.copyOf(all.subList(0, Math.min(max, all.size()))));
        status.setNamespaceCountersTruncated(Math.max(0, all.size() - max));
    }

    private static long total(NamespaceCounters c) {
        return c.getIncrease().values().stream().mapToLong(Long::longValue).sum();
    }

    private static String podUid(NodeScan scan, NamespaceScan ns) {
        for (int pid : ns.namespace().pids()) {
            ProcessInfo p = scan.processes().get(pid);
            if (p != null && p.container() != null && p.container().podUid() != null) {
                return p.container().podUid();
            }
        }
        return null;
    }
}
