package io.tcphealth.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.TcpCounter;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Each network namespace's own TCP counters as Prometheus counters,
 * {@code tcphealth_netns_tcp_events_total{event, namespace_kind, netns, pod_uid}}: each scan adds
 * what the kernel's counter rose by since the previous scan, so {@code rate()} and
 * {@code increase()} work per pod. A namespace that is gone has its series removed, so the series
 * count follows the namespaces on the node (13 per namespace).
 */
final class NamespaceCounterMetrics {
    private final MeterRegistry registry;
    private final Map<Long, Map<TcpCounter, Counter>> byNamespace = new HashMap<>();

    NamespaceCounterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void scanned(NodeScan scan) {
        Set<Long> seen = new HashSet<>();
        for (NamespaceScan ns : scan.namespaces()) {
            if (ns.counters() == null) {
                continue;
            }
            long inode = ns.namespace().inode();
            seen.add(inode);
            Map<TcpCounter, Counter> counters = byNamespace.computeIfAbsent(inode, i -> register(ns, podUid(scan, ns)));
            for (Map.Entry<TcpCounter, Counter> e : counters.entrySet()) {
                long rise = ns.counters().rise(e.getKey());
                if (rise > 0) {
                    e.getValue().increment(rise);
                }
            }
        }
        byNamespace.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            e.getValue().values().forEach(registry::remove);
            return true;
        });
    }

    private Map<TcpCounter, Counter> register(NamespaceScan ns, String podUid) {
        Map<TcpCounter, Counter> out = new HashMap<>();
        for (TcpCounter c : TcpCounter.values()) {
            out.put(
                    c,
                    Counter.builder("tcphealth_netns_tcp_events")
                            .description(
                                    "TCP events counted by each network namespace's kernel counters (/proc/net/netstat, /proc/net/snmp)")
                            .tag("event", c.label())
                            .tag("namespace_kind", ns.namespace().host() ? "host" : "pod")
                            .tag("netns", ns.namespace().label())
                            .tag("pod_uid", podUid)
                            .register(registry));
        }
        return out;
    }

    /** The pod whose processes live in the namespace, "" for the host's or when none is known. */
    private static String podUid(NodeScan scan, NamespaceScan ns) {
        if (ns.namespace().host()) {
            return "";
        }
        for (int pid : ns.namespace().pids()) {
            ProcessInfo p = scan.processes().get(pid);
            if (p != null && p.container() != null && p.container().podUid() != null) {
                return p.container().podUid();
            }
        }
        return "";
    }
}
