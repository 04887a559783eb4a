package io.tcphealth.agent.cli;

import static io.tcphealth.agent.cli.HandBuiltOptions.option;
import static io.tcphealth.agent.cli.HandBuiltOptions.withStandardHelp;

import io.tcphealth.agent.diagnosis.BindAnswer;
import io.tcphealth.agent.diagnosis.BindAnswers;
import io.tcphealth.agent.diagnosis.BindRequest;
import io.tcphealth.agent.diagnosis.Diagnoser;
import io.tcphealth.agent.diagnosis.DiagnosisSettings;
import io.tcphealth.agent.diagnosis.DiagnosisThresholds;
import io.tcphealth.agent.diagnosis.Durations;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.HostNetns;
import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetnsNames;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.policy.PolicyException;
import io.tcphealth.agent.policy.PolicyFile;
import io.tcphealth.agent.policy.PolicySet;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.remediation.EventLog;
import io.tcphealth.agent.report.NodeReport;
import io.tcphealth.agent.report.ReportBuilder;
import io.tcphealth.agent.report.ReportFormat;
import io.tcphealth.agent.report.TableRenderer;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.PidfdSocketOptions;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.agent.socket.SocketSource;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import io.tcphealth.agent.socket.proc.ProcNetTcpSource;
import io.tcphealth.api.v1alpha1.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tcphealth diagnose}: who holds my port, and why. Its command model is built by hand ({@link #spec()}), not
 * read from annotations: a one-shot diagnose would otherwise spend a third of its run time in reflection.
 */
final class DiagnoseCommand implements Callable<Integer> {
    static final int EXIT_HEALTHY = 0;
    static final int EXIT_WARNING = 1;
    static final int EXIT_CRITICAL = 2;
    static final int EXIT_BIND_IN_USE = 4;
    static final int EXIT_BIND_UNKNOWN = 5;

    List<Integer> ports = List.of();
    String bind;
    List<String> bindOptions = List.of();
    ScopeOption scope;
    ReportFormat output;
    String watch;
    Integer count;
    SourceKind source;
    String stuckAfter;
    Path policyFile;
    boolean plan;
    Path sysctlRoot;
    Path journalDir;
    final HostOptions host = new HostOptions();
    private CommandSpec spec;

    /** The {@code diagnose} command, with a new instance of this class behind it. */
    static CommandSpec spec() {
        DiagnoseCommand c = new DiagnoseCommand();
        c.spec = CommandSpec.wrapWithoutInspection(c).name("diagnose");
        c.spec.usageMessage()
                .sortOptions(false)
                .header(
                        "Explains what holds TCP ports here: stuck sockets, who owns them, and the zombies behind them.")
                .description(
                        "Scans TCP sockets and processes once (or every --watch interval) and explains what holds ports:",
                        "CLOSE_WAIT and FIN_WAIT1 pile-ups, orphans, unread receive queues, zombies.",
                        "",
                        "The table fits the terminal (COLUMNS, else the terminal's own width; 120 columns into a pipe or a"
                                + " file).",
                        "With --watch, it ends when its output is closed (a pager or 'head' that quits).",
                        "",
                        "Exit status: 0 healthy, 1 warnings, 2 critical findings (with --watch, those of the last scan);",
                        "3 usage or environment error, including a host namespace that could not be read, so that the"
                                + " report",
                        "describes the command's own namespace instead (use --host-netns self to ask for that).",
                        "With --bind, the exit status is the bind verdict instead: 0 it binds, 4 bind() would fail with",
                        "EADDRINUSE, 5 it cannot be told (a fact that decides it is hidden by the kernel), 3 as above.");
        c.spec.addOption(option(() -> c.ports, v -> c.ports = v, "-p", "--port")
                .paramLabel("PORT")
                .type(List.class)
                .auxiliaryTypes(Integer.class)
                .initialValue(List.of())
                .description(
                        "A port to explain: who holds it, in which states, and whether a listener could bind it. Repeatable.")
                .build());
        c.spec.addOption(option(() -> c.bind, v -> c.bind = v, "--bind")
                .paramLabel("ADDRESS:PORT")
                .type(String.class)
                .description("The listener you mean to start, such as 0.0.0.0:9080, 127.0.0.2:9080, [::]:9080 or "
                        + "[::1]:9080: whether bind() would succeed is answered for exactly that address and family (its "
                        + "port is explained as --port does), in the report's 'bind' section and the exit status.")
                .build());
        c.spec.addOption(option(() -> c.bindOptions, v -> c.bindOptions = v, "--bind-option")
                .paramLabel("OPTION")
                .type(List.class)
                .auxiliaryTypes(String.class)
                .initialValue(List.of())
                .splitRegex(",")
                .description(
                        "With --bind: what that listener sets: reuseaddr (SO_REUSEADDR), reuseport (SO_REUSEPORT), "
                                + "v6only (IPV6_V6ONLY), device=NAME (SO_BINDTODEVICE), uid=N (the user it runs as, which "
                                + "SO_REUSEPORT groups depend on). Comma-separated or repeated. Default: none.")
                .build());
        c.spec.addOption(option(() -> c.scope, v -> c.scope = v, "--scope")
                .paramLabel("host|all")
                .type(ScopeOption.class)
                .defaultValue("host")
                .description("host: the host's network namespace; all: also every other namespace a process lives in "
                        + "(pods, containers). Default: ${DEFAULT-VALUE}.")
                .build());
        c.spec.addOption(option(() -> c.output, v -> c.output = v, "-o", "--output")
                .paramLabel("table|json|yaml")
                .type(ReportFormat.class)
                .defaultValue("table")
                .description("Output format. Default: ${DEFAULT-VALUE}.")
                .build());
        c.spec.addOption(option(() -> c.watch, v -> c.watch = v, "--watch")
                .paramLabel("INTERVAL")
                .type(String.class)
                .description(
                        "Scan again every INTERVAL (like 10s or 1m) until interrupted, showing how long sockets have been stuck.")
                .build());
        c.spec.addOption(option(() -> c.count, v -> c.count = v, "--count")
                .paramLabel("N")
                .type(Integer.class)
                .description(
                        "With --watch: stop after N scans (the exit status is that of the last one). Default: until "
                                + "interrupted or until the output is closed.")
                .build());
        c.spec.addOption(option(() -> c.source, v -> c.source = v, "--source")
                .paramLabel("netlink|proc")
                .type(SourceKind.class)
                .defaultValue("netlink")
                .description("Read sockets through netlink sock_diag or /proc/net/tcp{,6}. Default: ${DEFAULT-VALUE}.")
                .build());
        c.spec.addOption(option(() -> c.stuckAfter, v -> c.stuckAfter = v, "--stuck-after")
                .paramLabel("DURATION")
                .type(String.class)
                .defaultValue("5m")
                .description(
                        "How long a socket may stay in CLOSE_WAIT or FIN_WAIT1 (or a zombie linger) before it counts as "
                                + "stuck, with --watch. Default: ${DEFAULT-VALUE}.")
                .build());
        c.spec.addOption(option(() -> c.policyFile, v -> c.policyFile = v, "--policy")
                .paramLabel("FILE")
                .type(Path.class)
                .description("Take ports, thresholds and scope from a TcpHealthPolicy file (as 'run --policy' does).")
                .build());
        c.spec.addOption(option(() -> c.plan, v -> c.plan = v, "--plan")
                .type(boolean.class)
                .arity("0")
                .initialValue(false)
                .description(
                        "With --policy: print the exact actions the policy's remediation would take now (as DryRun does), "
                                + "changing nothing. With --watch (and --count), plan again every interval.")
                .build());
        c.spec.addOption(option(() -> c.sysctlRoot, v -> c.sysctlRoot = v, "--sysctl-root")
                .paramLabel("DIR")
                .type(Path.class)
                .description("With --plan: where host-wide sysctls are read, as for 'run'. Default: <proc-root>/sys.")
                .build());
        c.spec.addOption(option(() -> c.journalDir, v -> c.journalDir = v, "--journal")
                .paramLabel("DIR")
                .type(Path.class)
                .description("With --plan: the journal of a running agent, read without changing it, so the plan knows "
                        + "which values tcphealth changed before.")
                .build());
        c.host.addTo(c.spec);
        return withStandardHelp(c.spec);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DiagnosisSettings settings;
        Duration interval;
        BindRequest bindRequest = null;
        try {
            DiagnosisThresholds d = DiagnosisThresholds.DEFAULTS;
            settings = new DiagnosisSettings(
                    new DiagnosisThresholds(
                            d.closeWaitPerProcess(),
                            d.finWait1(),
                            d.orphanRatioWarning(),
                            d.orphanRatioCritical(),
                            d.recvQueueBytes(),
                            d.zombiesPerParent(),
                            Durations.parse(stuckAfter),
                            d.fdUsageWarning(),
                            d.fdUsageCritical()),
                    ports);
            if (bind != null) {
                bindRequest = BindRequest.parse(bind, bindOptions);
                if (!ports.contains(bindRequest.port())) {
                    List<Integer> all = new ArrayList<>(ports);
                    all.add(bindRequest.port());
                    ports = all;
                }
                settings = new DiagnosisSettings(settings.thresholds(), ports, bindRequest);
            } else if (!bindOptions.isEmpty()) {
                throw new IllegalArgumentException("--bind-option needs --bind ADDRESS:PORT");
            }
            interval = watch == null ? null : Durations.parse(watch);
            if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("--watch must be at least 1s");
            }
            if (count != null && (count < 1 || interval == null)) {
                throw new IllegalArgumentException("--count takes a number of scans of at least 1, with --watch");
            }
        } catch (RuntimeException e) {
            err.println("tcphealth: " + e.getMessage());
            return TcpHealthCli.EXIT_USAGE;
        }
        if (!Files.isDirectory(host.procRoot.resolve("self")) && !Files.isDirectory(host.procRoot.resolve("1"))) {
            err.println("tcphealth: " + host.procRoot + " does not look like a mounted procfs (no " + host.procRoot
                    + "/self or " + host.procRoot + "/1 in it)");
            return TcpHealthCli.EXIT_USAGE;
        }
        ScanScope scanScope = scope.scope;
        AgentPolicy policy = null;
        if (plan && policyFile == null) {
            err.println("tcphealth: --plan needs --policy FILE");
            return TcpHealthCli.EXIT_USAGE;
        }
        if (policyFile != null) {
            try {
                PolicySet set = new PolicyFile().load(policyFile);
                set.notes().forEach(n -> err.println("tcphealth: " + n));
                set.conflicts()
                        .forEach(c -> err.println("tcphealth: conflict in " + policyFile + ": " + c.getMessage()));
                policy = set.policy();
            } catch (PolicyException e) {
                err.println("tcphealth: refused policy " + policyFile + ":");
                e.problems().forEach(p -> err.println("  " + p));
                return TcpHealthCli.EXIT_USAGE;
            } catch (IOException e) {
                err.println("tcphealth: cannot read policy " + ErrorText.of(e));
                return TcpHealthCli.EXIT_USAGE;
            }
            List<Integer> all = new ArrayList<>(policy.ports());
            ports.stream().filter(p -> !all.contains(p)).forEach(all::add);
            ports = all;
            settings = new DiagnosisSettings(policy.thresholds(), all, bindRequest);
            scanScope = policy.scope();
        }
        if (plan) {
            return PlanPrinter.print(
                    policy,
                    new AgentParts(
                            host.procRoot,
                            sysctlRoot,
                            host.hostNetns,
                            new EventLog(new PrintWriter(java.io.Writer.nullWriter()), Clock.systemUTC())),
                    journalDir,
                    output,
                    interval,
                    count,
                    out,
                    err);
        }

        NodeScanner scanner = scanner();
        Diagnoser diagnoser = new Diagnoser();
        SocketAges ages = new SocketAges();
        ReportBuilder reports = new ReportBuilder(Integer.MAX_VALUE);
        String node = nodeName();
        int width = output == ReportFormat.table ? TerminalWidth.of(System.getenv()) : TableRenderer.WIDTH;
        Map<Long, String> netnsNames = output == ReportFormat.table ? NetnsNames.read(NetnsNames.RUN_NETNS) : Map.of();
        String fallback = host.hostNetns == null ? HostNetnsCheck.unreadable(host.procRoot) : null;
        if (fallback != null) {
            err.println("tcphealth: " + fallback);
        }
        int status = EXIT_HEALTHY;
        for (int scans = 1; ; scans++) {
            NodeScan scan;
            try {
                scan = scanner.scan(scanScope, Set.copyOf(ports));
            } catch (IOException e) {
                err.println("tcphealth: " + ErrorText.of(e));
                return TcpHealthCli.EXIT_USAGE;
            }
            ages.observe(scan);
            List<Finding> findings = diagnoser.diagnose(scan, ages, settings);
            NodeReport report = reports.build(node, scan, findings);
            List<BindAnswer> answers = bindRequest == null ? List.of() : BindAnswers.of(scan, bindRequest);
            report = report.withBind(answers);
            out.print(
                    output == ReportFormat.table
                            ? new TableRenderer(width, netnsNames).render(report)
                            : output.render(report));
            if (out.checkError()) {
                // The reader went away (a pager quit, 'head' had enough): nobody is left to watch.
                return status;
            }
            status = bindRequest == null ? exitStatus(Diagnoser.worst(findings)) : bindStatus(answers);
            if (fallback != null) {
                status = TcpHealthCli.EXIT_USAGE;
            }
            if (interval == null || (count != null && scans >= count)) {
                return status;
            }
            Thread.sleep(interval.toMillis());
            if (output == ReportFormat.table) {
                out.println("-".repeat(Math.min(40, width)));
            } else if (output == ReportFormat.yaml) {
                out.println("---");
            }
        }
    }

    private NodeScanner scanner() {
        ProcFs procFs = new ProcFs(host.procRoot);
        Libc libc = new Libc();
        SocketSource sockets = source == SourceKind.netlink
                ? new NetlinkSocketSource(libc)
                : ProcNetTcpSource.forCallingThread(procFs);
        NamespaceDiscovery fallback =
                host.hostNetns == null ? new NamespaceDiscovery(host.procRoot, new HostNetns.Self()) : null;
        return new NodeScanner(
                        procFs,
                        new NamespaceDiscovery(host.procRoot, HostNetns.parse(host.hostNetns)),
                        fallback,
                        new NamespaceExecutor(libc),
                        sockets,
                        Clock.systemUTC())
                .socketOptions(new PidfdSocketOptions(libc));
    }

    /** NODE_NAME when set (as in a pod), else the kernel's host name. */
    private String nodeName() {
        String env = System.getenv("NODE_NAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return new ProcFs(host.procRoot)
                    .read(host.procRoot.resolve("sys/kernel/hostname"))
                    .trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static int bindStatus(List<BindAnswer> answers) {
        return switch (BindAnswers.worst(answers)) {
            case binds -> EXIT_HEALTHY;
            case addressInUse -> EXIT_BIND_IN_USE;
            case unknown -> EXIT_BIND_UNKNOWN;
        };
    }

    static int exitStatus(Severity worst) {
        if (worst == Severity.Critical) {
            return EXIT_CRITICAL;
        }
        return worst == Severity.Warning ? EXIT_WARNING : EXIT_HEALTHY;
    }
}
