package io.tcphealth.agent.bench;

import java.util.Locale;

/** {@code bench populations} as text: medians (CPU in brackets), and how diagnose compares with each. */
public final class PopulationTable {

    public String render(PopulationResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "tcphealth bench populations: kernel %s, %d CPUs, Java %s, load average %.2f before"
                        + " and %.2f after; %,d fds open on the machine%n",
                r.kernel(),
                r.cpus(),
                r.java(),
                r.loadBefore(),
                r.loadAfter(),
                r.hostFds()));
        b.append("diagnose as run: ").append(r.diagnose()).append(System.lineSeparator());
        if (r.netstat() != null) {
            b.append(r.netstat()).append(System.lineSeparator());
        }
        PopulationResult.Startup s = r.startup();
        b.append(String.format(
                Locale.ROOT,
                "%nStart-up: java -version %s, an idle diagnose %s: %.1fx java -version%n%n",
                time(s.javaVersion()),
                time(s.idleDiagnose()),
                s.ratio()));
        b.append(String.format(
                Locale.ROOT,
                "%8s  %-34s %7s  %-22s %-22s %-22s %9s %11s%n",
                "sockets",
                "held by",
                "procs",
                "diagnose (CPU)",
                "ss -tanp (CPU)",
                "netstat -tanp (CPU)",
                "vs ss",
                "vs netstat"));
        for (PopulationResult.Row row : r.rows()) {
            if (row.impossible() != null) {
                b.append(String.format(
                        Locale.ROOT,
                        "%,8d  %-34s %7s  not measured: %s%n",
                        row.sockets(),
                        row.shape(),
                        "-",
                        row.impossible()));
                continue;
            }
            b.append(String.format(
                    Locale.ROOT,
                    "%,8d  %-34s %7d  %-22s %-22s %-22s %9s %11s%n",
                    row.sockets(),
                    row.shape(),
                    row.holders(),
                    time(row.diagnose()),
                    time(row.ssTanp()),
                    row.netstatTanp() == null ? "-" : time(row.netstatTanp()),
                    ratio(row.ssTanp(), row.diagnose()),
                    row.netstatTanp() == null ? "-" : ratio(row.netstatTanp(), row.diagnose())));
        }
        b.append(System.lineSeparator())
                .append("vs ss: how many times faster the whole diagnose process was than ss -tanp "
                        + "(below 1.0x: ss was faster); medians of the rounds.")
                .append(System.lineSeparator());
        return b.toString();
    }

    private static String time(Figure f) {
        return BenchTable.millis(f.medianMillis()) + " (" + BenchTable.millis(f.cpuMillis()) + ")";
    }

    private static String ratio(Figure other, Figure diagnose) {
        return String.format(Locale.ROOT, "%.1fx", other.medianMillis() / diagnose.medianMillis());
    }
}
