package io.tcphealth.agent.report;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a report for a terminal, within {@link #WIDTH} columns: namespaces, then findings. */
public final class TableRenderer {
    public static final int WIDTH = 120;
    private static final String NS_FORMAT = "%-22s %6s %8s %7s %7s %10s %9s %9s %9s %6s%n";
    private static final String FINDING_FORMAT = "%-8s %-18s %-22s %6s %7s %-34s %6s%n";

    public String render(NodeReport r) {
        StringBuilder out = new StringBuilder();
        NodeReport.LastScan scan = r.lastScan();
        out.append(String.format(Locale.ROOT, "Node %s: %d sockets in %d network namespace%s, read via %s in %d ms (%s)%n%n",
                r.node(), scan.sockets(), scan.namespaces(), scan.namespaces() == 1 ? "" : "s", scan.source(),
                scan.durationMillis(), scan.time()));

        out.append(String.format(Locale.ROOT, NS_FORMAT, "NETNS", "PIDS", "SOCKETS", "ESTAB", "LISTEN", "CLOSE-WAIT",
                "FIN-WAIT1", "FIN-WAIT2", "TIME-WAIT", "OTHER"));
        for (NodeReport.NamespaceSummary ns : r.namespaces()) {
            StateCounts c = ns.states();
            String name = ns.example() == null || ns.netns().equals("host") ? ns.netns() : ns.netns();
            out.append(String.format(Locale.ROOT, NS_FORMAT, fit(name, 22), ns.pids(), ns.sockets(), c.established(), c.listen(),
                    c.closeWait(), c.finWait1(), c.finWait2(), c.timeWait(), c.others()));
        }
        out.append(System.lineSeparator()).append(totalsLine(r)).append(System.lineSeparator());
        String sysctls = sysctlLine(r);
        if (!sysctls.isEmpty()) {
            wrap(out, "Host sysctls: ", sysctls);
        }
        out.append(System.lineSeparator());

        List<Finding> findings = r.findings();
        if (findings.isEmpty()) {
            out.append("No findings: nothing holds a port hostage here.").append(System.lineSeparator());
        } else {
            out.append(findingsHeadline(findings, r.findingsTruncated())).append(System.lineSeparator());
            out.append(String.format(Locale.ROOT, FINDING_FORMAT, "SEVERITY", "TYPE", "NETNS", "PORT", "COUNT", "PROCESS", "AGE"));
            for (Finding f : findings) {
                out.append(String.format(Locale.ROOT, FINDING_FORMAT, f.severity().name().toUpperCase(Locale.ROOT), f.type(),
                        fit(f.netns() == null ? "-" : f.netns(), 22), f.port() == null ? "-" : f.port(), f.count(),
                        fit(process(f), 34), f.ageSeconds() == null ? "-"
                                : (f.ageBasis() == io.tcphealth.agent.diagnosis.AgeBasis.kernelIdle ? ">=" : "") + age(f.ageSeconds())));
                wrap(out, "  ", f.message());
                wrap(out, "  Next: ", f.nextStep());
            }
            if (findings.stream().anyMatch(f -> f.ageBasis() != null)) {
                out.append(System.lineSeparator());
                wrap(out, "AGE: ", ">=N is the kernel's idle time (a lower bound, known on the first scan); N alone was observed"
                        + " by tcphealth across scans.");
            }
        }
        if (r.problems() != null && !r.problems().isEmpty()) {
            out.append(System.lineSeparator()).append("Could not read everything (findings may be incomplete):")
                    .append(System.lineSeparator());
            for (String p : r.problems()) {
                wrap(out, "  - ", p);
            }
        }
        return out.toString();
    }

    private static String totalsLine(NodeReport r) {
        StringBuilder line = new StringBuilder();
        NodeReport.Orphans o = r.orphans();
        if (o != null) {
            line.append("Orphans: ").append(o.count());
            if (o.max() >= 0) {
                line.append(" of tcp_max_orphans ").append(o.max());
            }
            if (o.ratio() != null) {
                line.append(String.format(Locale.ROOT, " (%.1f%%)", o.ratio() * 100));
            }
            line.append("   ");
        }
        NodeReport.Zombies z = r.zombies();
        line.append("Zombies: ").append(z.count());
        if (z.count() > 0) {
            line.append(" under ").append(z.parents()).append(z.parents() == 1 ? " parent" : " parents");
        }
        return line.toString();
    }

    private static String sysctlLine(NodeReport r) {
        List<String> parts = new ArrayList<>();
        for (NodeReport.SysctlValue s : r.sysctls()) {
            if ("host".equals(s.netns()) && s.observed() != null) {
                parts.add(s.name().substring("net.ipv4.".length()) + "=" + s.observed());
            }
        }
        return String.join(" ", parts);
    }

    private static String findingsHeadline(List<Finding> findings, int truncated) {
        long critical = findings.stream().filter(f -> f.severity() == Severity.Critical).count();
        long warning = findings.stream().filter(f -> f.severity() == Severity.Warning).count();
        long info = findings.size() - critical - warning;
        return String.format(Locale.ROOT, "Findings: %d critical, %d warning, %d info%s", critical, warning, info,
                truncated > 0 ? " (" + truncated + " more not shown)" : "");
    }

    private static String process(Finding f) {
        if (f.pid() == null) {
            return "-";
        }
        String who = f.comm() + " (" + f.pid() + ")";
        if (f.pod() != null) {
            who += " " + f.pod();
        } else if (f.containerId() != null) {
            who += " ctr " + f.containerId().substring(0, Math.min(12, f.containerId().length()));
        }
        return who;
    }

    private static String age(long seconds) {
        return io.tcphealth.agent.diagnosis.Durations.human(java.time.Duration.ofSeconds(seconds));
    }

    static String fit(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    /** Word-wraps {@code text} within the width, the first line after {@code prefix}, the rest indented alike. */
    static void wrap(StringBuilder out, String prefix, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        String indent = " ".repeat(prefix.length());
        StringBuilder line = new StringBuilder(prefix);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append(System.lineSeparator());
                line = new StringBuilder(indent);
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(word);
            empty = false;
        }
        out.append(line).append(System.lineSeparator());
    }
}
