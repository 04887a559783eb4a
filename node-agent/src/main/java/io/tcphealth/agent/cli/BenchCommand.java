package io.tcphealth.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tcphealth.agent.bench.BenchResult;
import io.tcphealth.agent.bench.BenchTable;
import io.tcphealth.agent.bench.ColdScanReport;
import io.tcphealth.agent.bench.ConnectionHolder;
import io.tcphealth.agent.bench.FullScan;
import io.tcphealth.agent.bench.ProcessMeter;
import io.tcphealth.agent.bench.ScanBenchmark;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.scan.OwnerAttribution;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tcphealth bench}: how fast a full scan is on a namespace full of connections, next to {@code ss}. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        header = "Times diagnose against ss -tanp and netstat -tanp on socket populations it makes itself.",
        description = {
            "Creates a private network namespace with N loopback connections held by helper processes, measures",
            "listing sockets, full scans (cold, warm, unchanged re-scan), ss -tan and ss -tanp on it, and removes",
            "everything again. Needs root (ip netns). Touches nothing in the host's network namespace."},
        subcommands = {BenchCommand.Hold.class, BenchCommand.ColdScan.class},
        sortOptions = false)
final class BenchCommand implements Callable<Integer> {
    static final int MAX_CONNECTIONS = 200_000;

    enum Output { table, json }

    @Option(names = "--connections", paramLabel = "N", defaultValue = "50000",
            description = "Loopback connections (2N sockets), at most " + MAX_CONNECTIONS + ". Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--close-wait", paramLabel = "N", defaultValue = "100",
            description = "Extra connections left in CLOSE_WAIT. Default: ${DEFAULT-VALUE}.")
    int closeWait;

    @Option(names = "--fin-wait1", paramLabel = "N", defaultValue = "20",
            description = "Extra orphaned FIN_WAIT1 sockets. Default: ${DEFAULT-VALUE}.")
    int finWait1;

    @Option(names = "--extra-namespaces", paramLabel = "K", defaultValue = "0",
            description = "Idle extra namespaces to scan, to show what each one costs (at most 500). Default: ${DEFAULT-VALUE}.")
    int extraNamespaces;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "5",
            description = "Measured rounds; figures are medians with min and max (1 to 50). Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table",
            description = "Output format. Default: ${DEFAULT-VALUE}.")
    Output output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String invalid = validate();
        if (invalid != null) {
            err.println("tcphealth: " + invalid);
            return TcpHealthCli.EXIT_USAGE;
        }
        BenchResult result = new ScanBenchmark(System.err)
                .run(new ScanBenchmark.Options(connections, closeWait, finWait1, extraNamespaces, rounds));
        if (output == Output.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } else {
            out.print(new BenchTable().render(result));
        }
        out.flush();
        return 0;
    }

    private String validate() {
        if (connections < 0 || connections > MAX_CONNECTIONS) {
            return "--connections must be between 0 and " + MAX_CONNECTIONS;
        }
        if (closeWait < 0 || closeWait > 10_000 || finWait1 < 0 || finWait1 > 1_000) {
            return "--close-wait must be between 0 and 10000 and --fin-wait1 between 0 and 1000";
        }
        if (extraNamespaces < 0 || extraNamespaces > 500) {
            return "--extra-namespaces must be between 0 and 500";
        }
        if (rounds < 1 || rounds > 50) {
            return "--rounds must be between 1 and 50";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "bench creates network namespaces and needs root";
        }
        return null;
    }

    /** Runs inside the benchmark's namespace and holds connections until its standard input closes. */
    @Command(name = "hold", hidden = true)
    static final class Hold implements Callable<Integer> {
        @Option(names = "--connections", defaultValue = "0")
        int connections;

        @Option(names = "--close-wait", defaultValue = "0")
        int closeWait;

        @Option(names = "--fin-wait1", defaultValue = "0")
        int finWait1;

        @Override
        public Integer call() throws Exception {
            new ConnectionHolder().holdUntilEndOfInput(connections, closeWait, finWait1, System.in, System.out);
            return 0;
        }
    }

    /** One full scan in a fresh JVM, reported as one line for the benchmark that started it. */
    @Command(name = "cold-scan", hidden = true)
    static final class ColdScan implements Callable<Integer> {
        @Option(names = "--netns", required = true)
        Path netns;

        @Override
        public Integer call() throws Exception {
            ProcessMeter meter = new ProcessMeter(ProcFs.host());
            FullScan scan = new FullScan(FullScan.scannerOf(netns, OwnerAttribution.CACHE_BETWEEN_SCANS));
            long start = System.nanoTime();
            FullScan.Outcome outcome = scan.run();
            long wall = System.nanoTime() - start;
            int sockets = outcome.scan().namespaces().getFirst().sockets().size();
            System.out.println(new ColdScanReport(wall, meter.cpuNanos(), meter.peakRssKiB(), sockets).line());
            return 0;
        }
    }
}
