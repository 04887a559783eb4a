package io.tcphealth.agent.report;

import io.tcphealth.agent.diagnosis.AgeBasis;
import io.tcphealth.agent.diagnosis.Durations;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a report for a terminal, within a given number of columns: namespaces, then findings. Columns take
 * the width their content needs; what does not fit is shortened where the message below repeats it (a pod
 * name, a namespace), never a number. Every text that comes from the system is escaped for the terminal.
 */
public final class TableRenderer {
    /** The width when there is no terminal to ask (a pipe, a file). */
    public static final int WIDTH = 120;
    /** Narrower than this, the table would be unreadable: it is laid out for this width and lines wrap. */
    public static final int MIN_WIDTH = 70;

    private static final String[] STATE_HEADERS = {
        "PIDS", "SOCKETS", "ESTAB", "LISTEN", "CLOSE-WAIT", "FIN-WAIT1", "FIN-WAIT2", "TIME-WAIT", "OTHER"
    };
    private static final String[] SHORT_STATE_HEADERS = {
        "PIDS", "SOCKS", "ESTAB", "LISTEN", "CLOSE-W", "FIN-W1", "FIN-W2", "TIME-W", "OTHER"
    };

    private final int width;
    private final Map<Long, String> netnsNames;

    /** A table {@link #WIDTH} columns wide, namespaces by label. */
    public TableRenderer() {
        this(WIDTH, Map.of());
    }

    public TableRenderer(int width) {
        this(width, Map.of());
    }

    /**
     * @param width      the terminal's columns
     * @param netnsNames names of network namespaces by inode ({@code ip netns} names), shown instead of netns:[inode]
     */
    public TableRenderer(int width, Map<Long, String> netnsNames) {
        this.width = Math.max(MIN_WIDTH, width);
        this.netnsNames = netnsNames;
    }

    public String render(NodeReport r) {
        StringBuilder out = new StringBuilder();
        NodeReport.LastScan scan = r.lastScan();
        wrap(
                out,
                "",
                String.format(
                        Locale.ROOT,
                        "Node %s: %d sockets in %d network namespace%s, read via %s in %d ms (%s)",
                        TerminalText.escape(r.node()),
                        scan.sockets(),
                        scan.namespaces(),
                        scan.namespaces() == 1 ? "" : "s",
                        scan.source(),
                        scan.durationMillis(),
                        scan.time()));
        out.append(System.lineSeparator());

        Map<String, String> names = namespaceNames(r);
        namespaceTable(out, r, names);
        out.append(System.lineSeparator());
        wrap(out, "", totalsLine(r));
        String sysctls = sysctlLine(r);
        if (!sysctls.isEmpty()) {
            wrap(out, "Host sysctls: ", sysctls);
        }
        out.append(System.lineSeparator());

        if (r.bind() != null) {
            for (io.tcphealth.agent.diagnosis.BindAnswer a : r.bind()) {
                wrap(
                        out,
                        "Bind " + a.address() + " in " + TerminalText.escape(names.getOrDefault(a.netns(), a.netns()))
                                + ": ",
                        a.verdict() + ", " + TerminalText.escape(a.reason()) + ".");
            }
            out.append(System.lineSeparator());
        }
        List<Finding> findings = r.findings();
        if (findings.isEmpty()) {
            out.append("No findings: nothing holds a port hostage here.").append(System.lineSeparator());
        } else {
            out.append(findingsHeadline(findings, r.findingsTruncated())).append(System.lineSeparator());
            findingsTable(out, findings, names);
            if (findings.stream().anyMatch(f -> f.ageBasis() != null)) {
                out.append(System.lineSeparator());
                wrap(
                        out,
                        "AGE: ",
                        ">=N is the kernel's idle time (a lower bound, known on the first scan); N alone was observed"
                                + " by tcphealth across scans.");
            }
        }
        if (r.problems() != null && !r.problems().isEmpty()) {
            out.append(System.lineSeparator())
                    .append("Could not read everything (findings may be incomplete):")
                    .append(System.lineSeparator());
            for (String p : r.problems()) {
                wrap(out, "  - ", TerminalText.escape(p));
            }
        }
        return out.toString();
    }

    /** What each namespace label of the report is shown as: its {@code ip netns} name when it has one. */
    private Map<String, String> namespaceNames(NodeReport r) {
        Map<String, String> names = new HashMap<>();
        for (NodeReport.NamespaceSummary ns : r.namespaces()) {
            String name = netnsNames.get(ns.inode());
            names.put(ns.netns(), TerminalText.escape(name == null || ns.netns().equals("host") ? ns.netns() : name));
        }
        return names;
    }

    private static String shown(Map<String, String> names, String label) {
        return label == null ? "-" : names.getOrDefault(label, TerminalText.escape(label));
    }

    private void namespaceTable(StringBuilder out, NodeReport r, Map<String, String> names) {
        List<String[]> rows = new ArrayList<>();
        for (NodeReport.NamespaceSummary ns : r.namespaces()) {
            SocketStateCounts c = ns.states();
            rows.add(new String[] {
                shown(names, ns.netns()),
                Long.toString(ns.pids()),
                Long.toString(ns.sockets()),
                Long.toString(c.established()),
                Long.toString(c.listen()),
                Long.toString(c.closeWait()),
                Long.toString(c.finWait1()),
                Long.toString(c.finWait2()),
                Long.toString(c.timeWait()),
                Long.toString(c.others())
            });
        }
        String[] headers = STATE_HEADERS;
        int[] widths = numberWidths(headers, rows);
        int nameWidth = nameWidth(rows, widths);
        if (nameWidth < 12) {
            headers = SHORT_STATE_HEADERS;
            widths = numberWidths(headers, rows);
            nameWidth = nameWidth(rows, widths);
        }
        nameWidth = Math.max(5, nameWidth);
        String[] header = new String[headers.length + 1];
        header[0] = "NETNS";
        System.arraycopy(headers, 0, header, 1, headers.length);
        row(out, header, nameWidth, widths);
        for (String[] row : rows) {
            row(out, row, nameWidth, widths);
        }
    }

    private static int[] numberWidths(String[] headers, List<String[]> rows) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i + 1].length());
            }
        }
        return widths;
    }

    /** The namespace column: as wide as its longest name, within what the numbers leave. */
    private int nameWidth(List<String[]> rows, int[] numberWidths) {
        int used = 0;
        for (int w : numberWidths) {
            used += w + 1;
        }
        int longest = "NETNS".length();
        for (String[] row : rows) {
            longest = Math.max(longest, row[0].length());
        }
        return Math.min(longest, width - used);
    }

    private static void row(StringBuilder out, String[] cells, int nameWidth, int[] widths) {
        StringBuilder line = new StringBuilder(pad(fit(cells[0], nameWidth), nameWidth));
        for (int i = 1; i < cells.length; i++) {
            line.append(' ')
                    .append(" ".repeat(Math.max(0, widths[i - 1] - cells[i].length())))
                    .append(cells[i]);
        }
        out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }

    private void findingsTable(StringBuilder out, List<Finding> findings, Map<String, String> names) {
        List<String[]> rows = new ArrayList<>();
        for (Finding f : findings) {
            rows.add(new String[] {
                f.severity().name().toUpperCase(Locale.ROOT),
                String.valueOf(f.type()),
                shown(names, f.netns()),
                f.port() == null ? "-" : f.port().toString(),
                Long.toString(f.count()),
                process(f),
                f.ageSeconds() == null
                        ? "-"
                        : (f.ageBasis() == AgeBasis.kernelIdle ? ">=" : "")
                                + Durations.human(Duration.ofSeconds(f.ageSeconds()))
            });
        }
        String[] header = {"SEVERITY", "TYPE", "NETNS", "PORT", "COUNT", "PROCESS", "AGE"};
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            w[i] = header[i].length();
            for (String[] row : rows) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        // The namespace and the process share what the fixed columns leave; the process (with its pid) first.
        int fixed = w[0] + w[1] + w[3] + w[4] + w[6] + 6;
        int free = Math.max(16, width - fixed);
        int netns = Math.min(w[2], Math.max(5, Math.min(22, free / 3)));
        int process = Math.min(w[5], free - netns);
        if (process < w[5]) {
            netns = Math.min(w[2], free - process);
        }
        w[2] = Math.max(5, netns);
        w[5] = Math.max(7, process);
        findingRow(out, header, w);
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            String[] row = rows.get(i);
            row[5] = fitProcess(f, row[5], w[5]);
            findingRow(out, row, w);
            wrap(out, "  ", TerminalText.escape(named(f.message(), names)));
            wrap(out, "  Next: ", TerminalText.escape(named(f.nextStep(), names)));
        }
    }

    /** Messages name namespaces by label ("netns:[4026532208]"); the table calls them by name, as its columns do. */
    private static String named(String text, Map<String, String> names) {
        if (text == null) {
            return null;
        }
        String named = text;
        for (Map.Entry<String, String> e : names.entrySet()) {
            if (!e.getKey().equals(e.getValue()) && named.contains(e.getKey())) {
                named = named.replace(e.getKey(), e.getValue());
            }
        }
        return named;
    }

    private static void findingRow(StringBuilder out, String[] c, int[] w) {
        String line = pad(c[0], w[0])
                + ' '
                + pad(c[1], w[1])
                + ' '
                + pad(fit(c[2], w[2]), w[2])
                + ' '
                + left(c[3], w[3])
                + ' '
                + left(c[4], w[4])
                + ' '
                + pad(fit(c[5], w[5]), w[5])
                + ' '
                + left(c[6], w[6]);
        out.append(line.stripTrailing()).append(System.lineSeparator());
    }

    private static String process(Finding f) {
        if (f.pid() == null) {
            return "-";
        }
        return who(f, TerminalText.escape(f.comm())) + place(f);
    }

    private static String who(Finding f, String comm) {
        return comm + " (" + f.pid() + ")";
    }

    private static String place(Finding f) {
        if (f.pod() != null) {
            return " " + TerminalText.escape(f.pod());
        }
        if (f.containerId() != null) {
            return " ctr "
                    + TerminalText.escape(f.containerId()
                            .substring(0, Math.min(12, f.containerId().length())));
        }
        return "";
    }

    /** Shortens the pod or container first, then the command name; the pid always stays. */
    private static String fitProcess(Finding f, String cell, int width) {
        if (cell.length() <= width || f.pid() == null) {
            return cell;
        }
        String who = who(f, TerminalText.escape(f.comm()));
        if (who.length() < width) {
            return fit(who + place(f), width);
        }
        String pid = " (" + f.pid() + ")";
        String comm = TerminalText.escape(f.comm());
        int room = width - pid.length();
        return room >= 2 ? fit(comm, room) + pid : fit(pid.strip(), width);
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
            long shown = r.namespaces().stream()
                    .mapToLong(NodeReport.NamespaceSummary::orphanedSockets)
                    .sum();
            line.append(" host-wide, ").append(shown).append(" in the namespaces shown");
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
        long critical =
                findings.stream().filter(f -> f.severity() == Severity.Critical).count();
        long warning =
                findings.stream().filter(f -> f.severity() == Severity.Warning).count();
        long info = findings.size() - critical - warning;
        return String.format(
                Locale.ROOT,
                "Findings: %d critical, %d warning, %d info%s",
                critical,
                warning,
                info,
                truncated > 0 ? " (" + truncated + " more not shown)" : "");
    }

    static String fit(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "~";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String left(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /**
     * Word-wraps {@code text} within the width, the first line after {@code prefix}, the rest indented alike; a
     * word longer than a line (a path, a long command) is broken, not left to run past the edge.
     */
    void wrap(StringBuilder out, String prefix, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        String indent = " ".repeat(prefix.length());
        StringBuilder line = new StringBuilder(prefix);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (!empty && line.length() + 1 + word.length() > width) {
                out.append(line).append(System.lineSeparator());
                line = new StringBuilder(indent);
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            while (line.length() + word.length() > width && width - line.length() > 8) {
                int room = width - line.length();
                out.append(line).append(word, 0, room).append(System.lineSeparator());
                word = word.substring(room);
                line = new StringBuilder(indent);
            }
            line.append(word);
            empty = false;
        }
        out.append(line).append(System.lineSeparator());
    }
}
