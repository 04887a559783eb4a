package io.tcphealth.agent.report;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds a {@link NodeReport} from a scan and its findings. Pure. */
public final class ReportBuilder {
    /** The most findings one report carries; the rest are counted. Status objects must stay small. */
    public static final int MAX_FINDINGS = 50;

    private final int maxFindings;

    public ReportBuilder(int maxFindings) {
        this.maxFindings = maxFindings;
    }

    public ReportBuilder() {
        this(MAX_FINDINGS);
    }

    public NodeReport build(String node, NodeScan scan, List<Finding> findings) {
        SocketStateCounts total = SocketStateCounts.zero();
        List<NodeReport.NamespaceSummary> namespaces = new ArrayList<>();
        List<NodeReport.SysctlValue> sysctls = new ArrayList<>();
        for (NamespaceScan ns : scan.namespaces()) {
            SocketStateCounts counts = SocketStateCounts.of(ns.sockets());
            total = total.plus(counts);
            long orphaned = ns.sockets().stream().filter(TcpSocket::isOrphan).count();
            namespaces.add(new NodeReport.NamespaceSummary(
                    ns.namespace().label(),
                    ns.namespace().inode(),
                    ns.namespace().pids().size(),
                    example(scan, ns.namespace()),
                    ns.sockets().size(),
                    orphaned,
                    counts));
            addSysctls(sysctls, ns);
        }
        int shown = Math.min(findings.size(), maxFindings);
        return new NodeReport(
                node,
                new NodeReport.LastScan(
                        scan.time().toString(),
                        scan.durationMillis(),
                        scan.namespaces().size(),
                        scan.socketCount(),
                        scan.source()),
                total,
                orphans(scan),
                zombies(scan),
                List.copyOf(findings.subList(0, shown)),
                findings.size() - shown,
                sysctls,
                namespaces,
                scan.problems().isEmpty() ? null : scan.problems());
    }

    private static String example(NodeScan scan, NetNamespace ns) {
        for (int pid : ns.pids()) {
            ProcessInfo p = scan.processes().get(pid);
            if (p != null) {
                return pid + " " + p.comm();
            }
        }
        return null;
    }

    private static NodeReport.Orphans orphans(NodeScan scan) {
        NamespaceScan host = scan.host().orElse(null);
        if (host == null || host.sockStat() == null) {
            return null;
        }
        long max = host.sysctls() == null ? -1 : host.sysctls().maxOrphans();
        long count = host.sockStat().orphans();
        return new NodeReport.Orphans(count, max, max > 0 ? (double) count / max : null);
    }

    private static NodeReport.Zombies zombies(NodeScan scan) {
        int count = 0;
        Set<Integer> parents = new HashSet<>();
        for (ProcessInfo p : scan.processes().values()) {
            if (p.isZombie() && scan.zombieInScope(p)) {
                count++;
                parents.add(p.ppid());
            }
        }
        return new NodeReport.Zombies(count, parents.size());
    }

    private static void addSysctls(List<NodeReport.SysctlValue> out, NamespaceScan ns) {
        TcpSysctls s = ns.sysctls();
        if (s == null) {
            return;
        }
        String label = ns.namespace().label();
        if (ns.namespace().host()) {
            add(out, "net.ipv4.tcp_max_orphans", label, s.maxOrphans());
        }
        add(out, "net.ipv4.tcp_keepalive_time", label, s.keepaliveTime());
        add(out, "net.ipv4.tcp_keepalive_intvl", label, s.keepaliveIntvl());
        add(out, "net.ipv4.tcp_keepalive_probes", label, s.keepaliveProbes());
        add(out, "net.ipv4.tcp_fin_timeout", label, s.finTimeout());
        add(out, "net.ipv4.tcp_orphan_retries", label, s.orphanRetries());
    }

    private static void add(List<NodeReport.SysctlValue> out, String name, String netns, long value) {
        out.add(new NodeReport.SysctlValue(name, netns, value < 0 ? null : value));
    }
}
