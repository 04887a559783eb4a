package io.tcphealth.agent.bench;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.ProcLimits;
import io.tcphealth.agent.proc.ScanProblems;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.OwnerAttribution;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmark: makes the namespace and its connections, measures each figure once per round
 * (so slow and fast moments of a shared machine hit every figure alike), and cleans up.
 *
 * <p>Figures: listing every socket without owners; a full scan warm (this JVM, already compiled,
 * with an empty owner cache), the same scan again when nothing changed (owner cache filled), the
 * same full scan walking every fd (the simple path, for comparison), a cold full scan (a fresh JVM
 * with this one's flags, its first scan), {@code ss -tan} and {@code ss -tanp} on the same namespace
 * in the same round, and the idle extra namespaces.
 */
public final class ScanBenchmark {
    /** Keeps a helper well inside the common 20k-fd hard limit: two fds per connection. */
    static final int MAX_CONNECTIONS_PER_HELPER = 8000;

    static final String MAIN_CLASS = "io.tcphealth.agent.cli.TcpHealthCli";
    static final List<Integer> RSS_CHECKPOINTS = List.of(1, 10, 100);

    /**
     * @param connections     loopback connections (two sockets each)
     * @param closeWait       extra connections left in CLOSE_WAIT
     * @param finWait1        extra orphaned FIN_WAIT1 sockets
     * @param extraNamespaces idle namespaces to scan besides
     * @param rounds          measured rounds
     */
    public record Options(int connections, int closeWait, int finWait1, int extraNamespaces, int rounds) {}

    private final ProcFs procFs = ProcFs.host();
    private final ProcessMeter meter = new ProcessMeter(procFs);
    private final PrintStream progress;

    /** @param progress where to say what is happening (standard error), so results stay clean */
    public ScanBenchmark(PrintStream progress) {
        this.progress = progress;
    }

    public BenchResult run(Options options) throws IOException, InterruptedException {
        double loadBefore = loadAverage();
        try (BenchNamespace ns = BenchNamespace.create(options.extraNamespaces())) {
            progress.printf("Namespace %s: starting helpers for %d connections%n", ns.name(), options.connections());
            List<List<String>> helpers = helperCommands(options);
            ns.startHelpers(helpers);
            return measure(ns, options, helpers.size(), loadBefore);
        }
    }

    private BenchResult measure(BenchNamespace ns, Options o, int helperCount, double loadBefore)
            throws IOException, InterruptedException {
        Path path = ns.path();
        NetNamespace target = new NetNamespace(BenchNamespace.inodeOf(path), path, true, List.of());
        Libc libc = new Libc();
        NamespaceExecutor executor = new NamespaceExecutor(libc);
        NetlinkSocketSource source = new NetlinkSocketSource(libc);
        List<NetNamespace> extras = new ArrayList<>();
        for (Path extra : ns.extraPaths()) {
            extras.add(new NetNamespace(BenchNamespace.inodeOf(extra), extra, false, List.of()));
        }

        progress.println("Warming up with one full scan");
        FullScan.Outcome first = new FullScan(FullScan.scannerOf(path, OwnerAttribution.CACHE_BETWEEN_SCANS)).run();
        int sockets = first.scan().namespaces().getFirst().sockets().size();
        int processes = first.scan().processes().size();
        // sockstat's alloc is node-wide: every TCP socket the kernel's table holds, in any namespace.
        var sockStat = first.scan().namespaces().getFirst().sockStat();
        long nodeSockets = sockStat == null ? sockets : sockStat.allocated();

        Map<String, Series> series = new LinkedHashMap<>();
        for (String key : List.of(
                "list", "fullCold", "fullWarm", "rescan", "fullWalkEveryFd", "ssTan", "ssTanp", "extraNamespace")) {
            series.put(key, new Series());
        }
        List<Long> coldPeaks = new ArrayList<>();
        BenchResult.OwnerCacheUse cacheUse = null;
        for (int round = 1; round <= o.rounds(); round++) {
            progress.printf("Round %d of %d%n", round, o.rounds());
            timeInProcess(series.get("list"), () -> executor.call(target, () -> source.sockets(TcpState.all())));

            FullScan warm = new FullScan(FullScan.scannerOf(path, OwnerAttribution.CACHE_BETWEEN_SCANS));
            timeInProcess(series.get("fullWarm"), warm::run);
            timeInProcess(series.get("rescan"), warm::run);
            cacheUse = warm.scanner()
                    .lastOwnerCacheStats()
                    .map(s -> new BenchResult.OwnerCacheUse(
                            s.processesRead(), s.processesReused(), s.fdsRead(), s.fullRead()))
                    .orElse(null);

            FullScan simple = new FullScan(FullScan.scannerOf(path, OwnerAttribution.WALK_EVERY_SCAN));
            timeInProcess(series.get("fullWalkEveryFd"), simple::run);

            timeChild(series.get("ssTan"), List.of("ip", "netns", "exec", ns.name(), "ss", "-tan"));
            timeChild(series.get("ssTanp"), List.of("ip", "netns", "exec", ns.name(), "ss", "-tanp"));
            coldPeaks.add(coldScan(series.get("fullCold"), path));

            if (!extras.isEmpty()) {
                NodeScanner scanner = warm.scanner();
                long cpu = meter.cpuNanos();
                long start = System.nanoTime();
                for (NetNamespace extra : extras) {
                    scanner.scanNamespace(extra, new ScanProblems());
                }
                series.get("extraNamespace")
                        .add((System.nanoTime() - start) / extras.size(), (meter.cpuNanos() - cpu) / extras.size());
            }
        }

        progress.printf("Scanning the same namespace %d times%n", RSS_CHECKPOINTS.getLast());
        List<BenchResult.RssAfter> rss = new ArrayList<>();
        FullScan repeated = new FullScan(FullScan.scannerOf(path, OwnerAttribution.CACHE_BETWEEN_SCANS));
        for (int scan = 1; scan <= RSS_CHECKPOINTS.getLast(); scan++) {
            repeated.run();
            if (RSS_CHECKPOINTS.contains(scan)) {
                rss.add(new BenchResult.RssAfter(scan, meter.rssKiB()));
            }
        }

        List<Figure> figures = new ArrayList<>();
        addFigure(figures, series, "list", "list every socket (no owners)");
        addFigure(figures, series, "fullCold", "full scan, cold (fresh JVM, first scan)");
        addFigure(figures, series, "fullWarm", "full scan, warm (empty owner cache)");
        addFigure(figures, series, "rescan", "re-scan, nothing changed (owner cache)");
        addFigure(figures, series, "fullWalkEveryFd", "full scan walking every fd (no cache)");
        addFigure(figures, series, "ssTan", "ss -tan");
        addFigure(figures, series, "ssTanp", "ss -tanp (with owners)");
        addFigure(figures, series, "extraNamespace", "each idle extra namespace");

        double ssTanp = median(figures, "ssTanp");
        double cold = median(figures, "fullCold");
        BenchResult.Ratios ratios = new BenchResult.Ratios(
                ssTanp / median(figures, "fullWarm"),
                ssTanp / cold,
                median(figures, "ssTan") / median(figures, "list"),
                median(figures, "rescan") / cold);
        BenchResult.ExtraNamespaces extraFigures = extras.isEmpty()
                ? null
                : new BenchResult.ExtraNamespaces(
                        extras.size(),
                        median(figures, "extraNamespace"),
                        median(figures, "extraNamespace") / (nodeSockets / 1000.0));
        BenchResult.Memory memory = new BenchResult.Memory(
                meter.peakRssKiB(),
                (long) Figure.median(
                        coldPeaks.stream().mapToDouble(Long::doubleValue).toArray()),
                rss);
        BenchResult.Setup setup = new BenchResult.Setup(
                o.connections(),
                o.closeWait(),
                o.finWait1(),
                o.extraNamespaces(),
                o.rounds(),
                sockets,
                nodeSockets,
                processes,
                helperCount,
                ns.names(),
                Runtime.getRuntime().availableProcessors(),
                kernel(),
                Runtime.version().toString(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                loadBefore,
                loadAverage());
        return new BenchResult(setup, figures, ratios, extraFigures, cacheUse, memory);
    }

    private static void addFigure(List<Figure> figures, Map<String, Series> series, String key, String label) {
        Series s = series.get(key);
        if (!s.wall.isEmpty()) {
            figures.add(Figure.of(key, label, s.wall, s.cpu));
        }
    }

    private static double median(List<Figure> figures, String key) {
        return figures.stream()
                .filter(f -> f.key().equals(key))
                .findFirst()
                .map(Figure::medianMillis)
                .orElse(Double.NaN);
    }

    @FunctionalInterface
    private interface Work {
        Object run() throws IOException, InterruptedException;
    }

    private void timeInProcess(Series into, Work work) throws IOException, InterruptedException {
        long cpu = meter.cpuNanos();
        long start = System.nanoTime();
        work.run();
        into.add(System.nanoTime() - start, meter.cpuNanos() - cpu);
    }

    /** Runs a command with its output discarded; its CPU time is read once it has been reaped. */
    private void timeChild(Series into, List<String> command) throws IOException, InterruptedException {
        long cpu = meter.reapedChildrenCpuNanos();
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 5 minutes");
        }
        long wall = System.nanoTime() - start;
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit " + p.exitValue());
        }
        into.add(wall, meter.reapedChildrenCpuNanos() - cpu);
    }

    /**
     * Starts a fresh JVM with this one's flags that does one full scan and reports its time, CPU
     * and peak RSS; the JVM's own start-up is not counted.
     *
     * @return the fresh agent's peak RSS in KiB
     */
    private long coldScan(Series into, Path namespace) throws IOException, InterruptedException {
        List<String> cmd = javaCommand(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("bench", "cold-scan", "--netns", namespace.toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String result = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(ColdScanReport.PREFIX)) {
                    result = line;
                }
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        if (result == null) {
            throw new IOException("The cold scan process reported nothing (exit " + p.exitValue() + ")");
        }
        ColdScanReport report = ColdScanReport.parse(result);
        into.add(report.wallNanos(), report.cpuNanos());
        return report.peakRssKiB();
    }

    private List<List<String>> helperCommands(Options o) throws IOException {
        int perHelper = connectionsPerHelper();
        List<List<String>> commands = new ArrayList<>();
        for (int left = o.connections(); left > 0; left -= perHelper) {
            commands.add(holdCommand(Math.min(left, perHelper), 0, 0));
        }
        if (o.closeWait() > 0 || o.finWait1() > 0) {
            commands.add(holdCommand(0, o.closeWait(), o.finWait1()));
        }
        return commands;
    }

    /** Helpers are small JVMs: they only open sockets and wait. */
    static final List<String> HELPER_FLAGS =
            List.of("-XX:+UseSerialGC", "-Xmx48m", "-Xss256k", "-XX:TieredStopAtLevel=1");

    static List<String> holdCommand(int connections, int closeWait, int finWait1) {
        List<String> cmd = javaCommand(HELPER_FLAGS);
        cmd.addAll(List.of(
                "bench",
                "hold",
                "--connections",
                Integer.toString(connections),
                "--close-wait",
                Integer.toString(closeWait),
                "--fin-wait1",
                Integer.toString(finWait1)));
        return cmd;
    }

    static List<String> javaCommand(List<String> jvmFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
        return cmd;
    }

    /**
     * Helpers inherit this process's open-files limit, which the JVM has raised to the hard limit
     * at start-up.
     */
    private int connectionsPerHelper() throws IOException {
        long limit = ProcLimits.parse("/proc/self/limits", procFs.read(procFs.path("self", "limits")))
                .openFilesSoft();
        if (limit < 0) {
            return MAX_CONNECTIONS_PER_HELPER;
        }
        return (int) Math.max(100, Math.min(MAX_CONNECTIONS_PER_HELPER, (limit - 200) / 2));
    }

    private double loadAverage() {
        try {
            return Double.parseDouble(procFs.read(procFs.path("loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private String kernel() {
        try {
            return procFs.read(procFs.path("sys", "kernel", "osrelease")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static final class Series {
        final List<Long> wall = new ArrayList<>();
        final List<Long> cpu = new ArrayList<>();

        void add(long wallNanos, long cpuNanos) {
            wall.add(wallNanos);
            cpu.add(cpuNanos);
        }
    }
}
