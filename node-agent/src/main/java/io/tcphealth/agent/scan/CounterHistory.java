package io.tcphealth.agent.scan;

import io.tcphealth.agent.proc.TcpCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The previous scan's counters of each namespace, so each scan can say how much they rose. Only
 * namespaces seen in the latest scan are kept, so a namespace that went away is forgotten.
 */
final class CounterHistory {
    private Map<Long, TcpCounters> previous = new HashMap<>();
    private Instant previousTime;

    List<NamespaceScan> withRises(List<NamespaceScan> scans, Instant now) {
        long seconds =
                previousTime == null ? 0 : Duration.between(previousTime, now).toSeconds();
        Map<Long, TcpCounters> next = new HashMap<>();
        List<NamespaceScan> out = new ArrayList<>(scans.size());
        for (NamespaceScan ns : scans) {
            TcpCounters c = ns.counters();
            if (c == null) {
                out.add(ns);
                continue;
            }
            TcpCounters withRise = c.since(previous.get(ns.namespace().inode()), seconds);
            next.put(ns.namespace().inode(), c);
            out.add(new NamespaceScan(
                    ns.namespace(), ns.sockets(), ns.sockStat(), ns.sysctls(), ns.limits(), withRise));
        }
        previous = next;
        previousTime = now;
        return out;
    }
}
