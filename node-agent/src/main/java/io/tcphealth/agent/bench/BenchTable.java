package io.tcphealth.agent.bench;

import java.util.Locale;

/** Renders a {@link BenchResult} as the table the bench command prints. */
public final class BenchTable {

    public String render(BenchResult r) {
        StringBuilder out = new StringBuilder();
        BenchResult.Setup s = r.setup();
        out.append(String.format(
                Locale.ROOT,
                "tcphealth bench: %,d connections + %d CLOSE_WAIT + %d FIN_WAIT1: %,d sockets in the namespace (%,d on the node); "
                        + "%d helper processes, %d processes on the node; %d rounds%n",
                s.connections(),
                s.closeWait(),
                s.finWait1(),
                s.sockets(),
                s.nodeSockets(),
                s.helperProcesses(),
                s.processes(),
                s.rounds()));
        out.append(String.format(
                Locale.ROOT,
                "kernel %s, %d CPUs, Java %s, load average %.2f before and %.2f after%n",
                s.kernel(),
                s.cpus(),
                s.java(),
                s.loadBefore(),
                s.loadAfter()));
        out.append("JVM flags: ")
                .append(s.jvmFlags().isEmpty() ? "(none)" : String.join(" ", s.jvmFlags()))
                .append("\n\n");

        double ssTan = r.figure("ssTan").map(Figure::medianMillis).orElse(Double.NaN);
        double ssTanp = r.figure("ssTanp").map(Figure::medianMillis).orElse(Double.NaN);
        out.append(String.format(
                Locale.ROOT,
                "%-42s %10s %10s %10s %9s %11s %12s%n",
                "",
                "median",
                "min",
                "max",
                "CPU",
                "vs ss -tan",
                "vs ss -tanp"));
        for (Figure f : r.figures()) {
            boolean isSs = f.key().startsWith("ss");
            out.append(String.format(
                    Locale.ROOT,
                    "%-42s %10s %10s %10s %9s %11s %12s%n",
                    f.label(),
                    millis(f.medianMillis()),
                    millis(f.minMillis()),
                    millis(f.maxMillis()),
                    millis(f.cpuMillis()),
                    isSs ? "" : times(ssTan / f.medianMillis()),
                    isSs ? "" : times(ssTanp / f.medianMillis())));
        }
        out.append('\n');
        out.append(String.format(
                Locale.ROOT,
                "full scan vs ss -tanp: %.1fx faster warm, %.1fx cold; re-scan = %.0f%% of a cold scan%n",
                r.ratios().fullWarmVsSsTanp(),
                r.ratios().fullColdVsSsTanp(),
                100 * r.ratios().rescanOfCold()));
        if (r.ownerCache() != null) {
            BenchResult.OwnerCacheUse c = r.ownerCache();
            out.append(String.format(
                    Locale.ROOT,
                    "re-scan owner cache: %d processes read (%,d fds), %d reused%n",
                    c.processesRead(),
                    c.fdsRead(),
                    c.processesReused()));
        }
        if (r.extraNamespaces() != null) {
            BenchResult.ExtraNamespaces e = r.extraNamespaces();
            out.append(String.format(
                    Locale.ROOT,
                    "each idle extra namespace (%d scanned): %.2f ms, %.3f ms per 1k sockets%n",
                    e.count(),
                    e.millisPerNamespace(),
                    e.millisPerThousandSockets()));
        }
        BenchResult.Memory m = r.memory();
        out.append(String.format(
                Locale.ROOT,
                "peak RSS: %s this run, %s a fresh agent after one full scan%n",
                mib(m.peakRssKiB()),
                mib(m.coldScanPeakRssKiB())));
        StringBuilder rss = new StringBuilder();
        for (BenchResult.RssAfter a : m.rssAfterScansKiB()) {
            rss.append(rss.isEmpty() ? "" : ", ")
                    .append("after ")
                    .append(a.scans())
                    .append(": ")
                    .append(mib(a.rssKiB()));
        }
        out.append("RSS over consecutive scans: ").append(rss).append('\n');
        return out.toString();
    }

    static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "" : String.format(Locale.ROOT, "%.1fx", ratio);
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }
}
