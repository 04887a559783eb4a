package io.tcphealth.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tcphealth.agent.bench.BenchResult;
import io.tcphealth.agent.bench.BenchTable;
import io.tcphealth.agent.bench.ColdScanReport;
import io.tcphealth.agent.bench.ConnectionHolder;
import io.tcphealth.agent.bench.DiagnoseCommandLine;
import io.tcphealth.agent.bench.FullScan;
import io.tcphealth.agent.bench.PopulationBenchmark;
import io.tcphealth.agent.bench.PopulationResult;
import io.tcphealth.agent.bench.PopulationTable;
import io.tcphealth.agent.bench.ProcessMeter;
import io.tcphealth.agent.bench.ScanBenchmark;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.scan.OwnerAttribution;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tcphealth bench}: how fast a full scan is on a namespace full of connections, next to {@code ss}. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        header = "Times full scans against ss -tan and ss -tanp; 'bench populations' times whole diagnose processes.",
        description = {
            "Creates a private network namespace with N loopback connections held by helper processes, measures",
            "listing sockets, full scans (cold, warm, unchanged re-scan), ss -tan and ss -tanp on it, and removes",
            "everything again. Needs root (ip netns). Touches nothing in the host's network namespace."
        },
        subcommands = {
            BenchCommand.Populations.class,
            BenchCommand.Hold.class,
            BenchCommand.Accept.class,
            BenchCommand.ColdScan.class
        },
        sortOptions = false)
final class BenchCommand implements Callable<Integer> {
    static final int MAX_CONNECTIONS = 200_000;

    enum Output {
        table,
        json
    }

    @Option(
            names = "--connections",
            paramLabel = "N",
            defaultValue = "50000",
            description =
                    "Loopback connections (2N sockets), at most " + MAX_CONNECTIONS + ". Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(
            names = "--close-wait",
            paramLabel = "N",
            defaultValue = "100",
            description = "Extra connections left in CLOSE_WAIT. Default: ${DEFAULT-VALUE}.")
    int closeWait;

    @Option(
            names = "--fin-wait1",
            paramLabel = "N",
            defaultValue = "20",
            description = "Extra orphaned FIN_WAIT1 sockets. Default: ${DEFAULT-VALUE}.")
    int finWait1;

    @Option(
            names = "--extra-namespaces",
            paramLabel = "K",
            defaultValue = "0",
            description =
                    "Idle extra namespaces to scan, to show what each one costs (at most 500). Default: ${DEFAULT-VALUE}.")
    int extraNamespaces;

    @Option(
            names = "--rounds",
            paramLabel = "R",
            defaultValue = "5",
            description = "Measured rounds; figures are medians with min and max (1 to 50). Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "table|json",
            defaultValue = "table",
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
            out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(result));
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

    /** Holds the server ends of connections other helpers make, until its standard input closes. */
    @Command(name = "accept", hidden = true)
    static final class Accept implements Callable<Integer> {
        @Option(names = "--connections", defaultValue = "0")
        int connections;

        @Override
        public Integer call() throws Exception {
            new ConnectionHolder().acceptUntilEndOfInput(connections, System.in, System.out);
            return 0;
        }
    }

    /** The whole diagnose process against ss -tanp and netstat -tanp, on populations held by few or many processes. */
    @Command(
            name = "populations",
            mixinStandardHelpOptions = true,
            header = "Times the whole diagnose process against ss -tanp and netstat -tanp, population by population.",
            description = {
                "For each socket count and each number of holding processes, makes a network namespace of its own with "
                        + "that many loopback sockets held that way (plus CLOSE_WAIT sockets to report), times the whole "
                        + "'tcphealth diagnose' process (start-up included, through the launcher when it started this "
                        + "benchmark), 'ss -tanp' and 'netstat -tanp' on it, and removes it. First, an idle diagnose "
                        + "against a bare 'java -version'. Needs root. Touches nothing in the host's network namespace.",
                "",
                "A population one process cannot hold (more fds than its open-files limit) is listed as not measured."
            },
            sortOptions = false)
    static final class Populations implements Callable<Integer> {
        @Option(
                names = "--sockets",
                paramLabel = "N,...",
                split = ",",
                defaultValue = "10000,50000,100000",
                description = "Socket counts (two per connection), each from 100 to 400000. Default: ${DEFAULT-VALUE}.")
        List<Integer> sockets;

        @Option(
                names = "--processes",
                paramLabel = "N,...",
                split = ",",
                defaultValue = "1,6,30,300",
                description = "How many processes hold them, each from 1 to 1000; from 30 on, shells hold the client "
                        + "ends and a few JVMs the server ends. Default: ${DEFAULT-VALUE}.")
        List<Integer> processes;

        @Option(
                names = "--close-wait",
                paramLabel = "N",
                defaultValue = "500",
                description = "CLOSE_WAIT connections added to every population, for diagnose to attribute. "
                        + "Default: ${DEFAULT-VALUE}.")
        int closeWait;

        @Option(
                names = "--rounds",
                paramLabel = "R",
                defaultValue = "3",
                description =
                        "Measured rounds per population (1 to 20); figures are medians. Default: ${DEFAULT-VALUE}.")
        int rounds;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "table|json",
                defaultValue = "table",
                description = "Output format. Default: ${DEFAULT-VALUE}.")
        Output output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (sockets.stream().anyMatch(n -> n < 100 || n > 400_000)
                    || processes.stream().anyMatch(n -> n < 1 || n > 1000)
                    || rounds < 1
                    || rounds > 20
                    || closeWait < 0
                    || closeWait > 10_000) {
                err.println(
                        "tcphealth: --sockets must be 100 to 400000 each, --processes 1 to 1000 each, --rounds 1 to 20, "
                                + "--close-wait 0 to 10000");
                return TcpHealthCli.EXIT_USAGE;
            }
            if (!"root".equals(System.getProperty("user.name"))) {
                err.println("tcphealth: bench creates network namespaces, which needs root");
                return TcpHealthCli.EXIT_USAGE;
            }
            PopulationResult result = new PopulationBenchmark(System.err, DiagnoseCommandLine.fromEnvironment())
                    .run(new PopulationBenchmark.Options(sockets, processes, rounds, closeWait));
            if (output == Output.json) {
                out.println(new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(result));
            } else {
                out.print(new PopulationTable().render(result));
            }
            out.flush();
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
