package io.tcphealth.agent.bench;

import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.ProcLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What an SRE compares: the whole {@code tcphealth diagnose} process (start-up included, as the launcher runs it)
 * against {@code ss -tanp} and {@code netstat -tanp}, on populations of the same size held by 1, a few, tens and
 * hundreds of processes, each in a namespace of its own made and removed here. Also an idle {@code diagnose}
 * against a bare {@code java -version}, the floor of any Java command's start-up, in the same run.
 */
public final class PopulationBenchmark {
    /** The client side of a shell holder: N connections to PORT, held by bash until its standard input closes. */
    static final String SHELL_CLIENT =
            "n=$1; port=$2; for ((i = 0; i < n; i++)); do exec {fd}<>/dev/tcp/127.0.0.1/$port"
                    + " || exit 1; done; echo ready $$; while read -r _; do :; done";

    public record Options(List<Integer> sockets, List<Integer> processes, int rounds, int closeWait) {}

    private final ProcFs procFs = ProcFs.host();
    private final ProcessMeter meter = new ProcessMeter(procFs);
    private final PrintStream progress;
    private final DiagnoseCommandLine diagnose;

    public PopulationBenchmark(PrintStream progress, DiagnoseCommandLine diagnose) {
        this.progress = progress;
        this.diagnose = diagnose;
    }

    public PopulationResult run(Options o) throws IOException, InterruptedException {
        double loadBefore = loadAverage();
        String netstat =
                CommandTimer.onPath("netstat") ? null : "netstat is not installed (Debian: apt-get install net-tools)";
        PopulationResult.Startup startup = startup(o.rounds());
        List<PopulationResult.Row> rows = new ArrayList<>();
        int maxFds = maxFdsPerProcess();
        for (int sockets : o.sockets()) {
            for (int processes : o.processes()) {
                Population p = new Population(sockets, processes, maxFds);
                String impossible = p.impossible();
                if (impossible != null) {
                    rows.add(new PopulationResult.Row(sockets, p.describe(), 0, null, null, null, impossible));
                    continue;
                }
                try {
                    PopulationResult.Row row = measure(p, o, netstat == null);
                    rows.add(row);
                    progress.printf(
                            "  diagnose %.1f ms, ss -tanp %.1f ms, netstat -tanp %s%n",
                            row.diagnose().medianMillis(),
                            row.ssTanp().medianMillis(),
                            row.netstatTanp() == null
                                    ? "-"
                                    : String.format(
                                            java.util.Locale.ROOT,
                                            "%.1f ms",
                                            row.netstatTanp().medianMillis()));
                } catch (IOException e) {
                    progress.println("  not measured: " + e.getMessage());
                    rows.add(new PopulationResult.Row(sockets, p.describe(), 0, null, null, null, e.getMessage()));
                }
            }
        }
        return new PopulationResult(
                kernel(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version().toString(),
                loadBefore,
                loadAverage(),
                diagnose.describe(),
                hostFds(),
                netstat,
                startup,
                rows);
    }

    private PopulationResult.Startup startup(int rounds) throws IOException, InterruptedException {
        try (BenchNamespace empty = BenchNamespace.create(0)) {
            progress.printf("Start-up: java -version and an idle diagnose in the empty namespace %s%n", empty.name());
            List<String> javaVersion = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version");
            List<String> idle = inNamespace(empty.name(), diagnose.command());
            CommandTimer timer = new CommandTimer(meter);
            timer.run(idle); // the first run makes the start-up cache if the launcher has none yet
            List<Figure> figures = new ArrayList<>();
            Series version = new Series();
            Series idleDiagnose = new Series();
            for (int i = 0; i < Math.max(5, rounds); i++) {
                timer.time(version, javaVersion);
                timer.time(idleDiagnose, idle);
            }
            figures.add(version.figure("javaVersion", "java -version"));
            figures.add(idleDiagnose.figure("idleDiagnose", "tcphealth diagnose, idle namespace"));
            return new PopulationResult.Startup(figures.get(0), figures.get(1));
        }
    }

    private PopulationResult.Row measure(Population p, Options o, boolean netstat)
            throws IOException, InterruptedException {
        try (BenchNamespace ns = BenchNamespace.create(0)) {
            progress.printf("Namespace %s: %,d sockets held by %s%n", ns.name(), p.sockets(), p.describe());
            // Hundreds of clients connect at once: the accept queue (per namespace) must hold them until accepted,
            // or the kernel drops their final ACKs and the acceptor never sees them.
            BenchNamespace.run(
                    "ip",
                    "netns",
                    "exec",
                    ns.name(),
                    "sysctl",
                    "-qw",
                    "net.core.somaxconn=65535",
                    "net.ipv4.tcp_max_syn_backlog=65535");
            List<Long> holders = new ArrayList<>();
            for (int connections : p.bothEndsHolders()) {
                holders.addAll(ns.startHelpers(List.of(ScanBenchmark.holdCommand(connections, 0, 0))));
            }
            List<Integer> shellClients = p.shellClients();
            List<Integer> acceptors = p.acceptors();
            int shell = 0;
            int missing = 0;
            for (int accept : acceptors) {
                String[] ready = ns.startHelper(acceptCommand(accept));
                long acceptor = Long.parseLong(ready[0]);
                String port = ready[1];
                List<List<String>> shells = new ArrayList<>();
                for (int want = accept; want > 0 && shell < shellClients.size(); shell++) {
                    int n = Math.min(want, shellClients.get(shell));
                    shells.add(
                            List.of("bash", "-c", SHELL_CLIENT, "tcphealth-bench-client", Integer.toString(n), port));
                    want -= n;
                }
                holders.addAll(ns.startHelpers(shells));
                missing += awaitFds(acceptor, accept);
                holders.add(acceptor);
            }
            if (o.closeWait() > 0) {
                holders.addAll(ns.startHelpers(List.of(ScanBenchmark.holdCommand(0, o.closeWait(), 0))));
            }
            CommandTimer timer = new CommandTimer(meter);
            List<String> diag = inNamespace(ns.name(), diagnose.command());
            List<String> ss = inNamespace(ns.name(), List.of("ss", "-tanp"));
            List<String> net = inNamespace(ns.name(), List.of("netstat", "-tanp"));
            timer.run(diag);
            Series d = new Series();
            Series s = new Series();
            Series n = new Series();
            for (int round = 1; round <= o.rounds(); round++) {
                progress.printf("  round %d of %d%n", round, o.rounds());
                timer.time(d, diag);
                timer.time(s, ss);
                if (netstat) {
                    timer.time(n, net);
                }
            }
            String shape = missing == 0 ? p.describe() : p.describe() + ", " + missing + " connections short";
            return new PopulationResult.Row(
                    p.sockets(),
                    shape,
                    holders.size(),
                    d.figure("diagnose", "tcphealth diagnose"),
                    s.figure("ssTanp", "ss -tanp"),
                    netstat ? n.figure("netstatTanp", "netstat -tanp") : null,
                    null);
        }
    }

    private static List<String> acceptCommand(int connections) {
        List<String> cmd = new ArrayList<>(ScanBenchmark.javaCommand(ScanBenchmark.HELPER_FLAGS));
        cmd.addAll(List.of("bench", "accept", "--connections", Integer.toString(connections)));
        return cmd;
    }

    private static List<String> inNamespace(String ns, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(command);
        return cmd;
    }

    /**
     * Connections reach the backlog before the acceptor takes them: waits until it holds them all, or until it has
     * taken no more for 10 seconds (a handshake the kernel dropped under load leaves the client end alone).
     *
     * @return how many of them it does not hold
     */
    private int awaitFds(long pid, int count) throws IOException, InterruptedException {
        Path fds = procFs.path(Long.toString(pid), "fd");
        long open = 0;
        long lastProgress = System.nanoTime();
        while (true) {
            long now;
            try (Stream<Path> list = Files.list(fds)) {
                now = list.count();
            }
            if (now > open) {
                open = now;
                lastProgress = System.nanoTime();
            }
            // The acceptor's own fds (the jar, its pipes, the JVM's) count too: a handful.
            if (open >= count || System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
                return (int) Math.max(0, count - open);
            }
            Thread.sleep(100);
        }
    }

    /** Helpers inherit this JVM's open-files limit (the JVM raised it to the hard limit); keep room for the JVM's own. */
    private int maxFdsPerProcess() throws IOException {
        long limit = ProcLimits.parse("/proc/self/limits", procFs.read(procFs.path("self", "limits")))
                .openFilesSoft();
        return (int) Math.max(200, Math.min(Integer.MAX_VALUE, (limit < 0 ? 1024 : limit) - 200));
    }

    /** Every open fd on the machine: ss and netstat read them all, whichever namespace they are asked about. */
    private long hostFds() {
        try {
            return Long.parseLong(
                    procFs.read(procFs.path("sys", "fs", "file-nr")).trim().split("\\s+")[0]);
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

    private double loadAverage() {
        try {
            return Double.parseDouble(procFs.read(procFs.path("loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static final class Series {
        final List<Long> wall = new ArrayList<>();
        final List<Long> cpu = new ArrayList<>();

        void add(long wallNanos, long cpuNanos) {
            wall.add(wallNanos);
            cpu.add(cpuNanos);
        }

        Figure figure(String key, String label) {
            return Figure.of(key, label, wall, cpu);
        }
    }
}
