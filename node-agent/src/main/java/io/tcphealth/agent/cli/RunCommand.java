package io.tcphealth.agent.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.loop.AgentLoop;
import io.tcphealth.agent.loop.MetricsSink;
import io.tcphealth.agent.loop.RoundSink;
import io.tcphealth.agent.metrics.AgentEndpoints;
import io.tcphealth.agent.metrics.AgentProbes;
import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.policy.PolicyException;
import io.tcphealth.agent.policy.PolicyFile;
import io.tcphealth.agent.policy.PolicySet;
import io.tcphealth.agent.remediation.EventLog;
import io.tcphealth.agent.remediation.JournalRemediator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tcphealth run --policy FILE}: the agent loop fed by a local policy file. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        header = "Runs the agent loop: from a TcpHealthPolicy file, or in cluster mode.",
        description = {
            "Runs the agent loop from a TcpHealthPolicy file: scans every spec.interval, diagnoses, and remediates according "
                    + "to spec.remediation.mode: Observe changes nothing (and puts back what tcphealth tuned before), DryRun "
                    + "reports exactly what Enforce would do, Enforce does it. Every change is written to the journal before "
                    + "it is made. Stops cleanly on SIGTERM and SIGINT; transient changes are undone on any exit.",
            "Editing the file takes effect at the next round; removing it restores what it changed and stops.",
            "",
            "Exit status: 0 when the rounds completed; 1 when something the policy asked for could not be done "
                    + "(with --once); 3 for a refused policy, an unusable journal or a usage error."
        },
        sortOptions = false)
final class RunCommand implements Callable<Integer> {
    static final int EXIT_NOT_DONE = AgentLoop.NOT_DONE;
    /** How long SIGTERM waits for the loop to undo transient changes and close the journal. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "A TcpHealthPolicy YAML file (the same schema as the custom resource), a file of several "
                    + "(--- or kind: List) or a directory of them, merged as the operator merges a node's policies. Without it, and in a pod "
                    + "(NODE_NAME and in-cluster credentials) or with --cluster, the agent runs in cluster mode.")
    Path policyFile;

    @Option(
            names = "--cluster",
            description = "Cluster mode: follow this node's TcpHealthNode, report its status and "
                    + "Events to the API server (credentials from the pod's service account or the kubeconfig).")
    boolean cluster;

    @Option(
            names = "--node",
            paramLabel = "NAME",
            description = "This node's name in cluster mode. Default: $NODE_NAME.")
    String node;

    @Option(names = "--once", description = "One scan-and-remediate round, then exit.")
    boolean once;

    @Option(
            names = "--journal",
            paramLabel = "DIR",
            defaultValue = "/var/lib/tcphealth/journal",
            description = "Where original values are recorded before any change. Default: ${DEFAULT-VALUE}.")
    Path journalDir;

    @Option(
            names = "--sysctl-root",
            paramLabel = "DIR",
            description =
                    "Where host-wide sysctls (net.ipv4.tcp_max_orphans) are read and written; default <proc-root>/sys. "
                            + "Per-namespace keys are always under <proc-root>/sys inside their namespace. For tests.")
    Path sysctlRoot;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve Prometheus metrics on http://0.0.0.0:PORT/metrics (0 picks a free port).")
    Integer metricsPort;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "yaml|json",
            defaultValue = "yaml",
            description = "Format of the round reports printed on standard output. Default: ${DEFAULT-VALUE}.")
    RoundFormat output;

    /** When a round's full report is printed; every round logs one summary line on standard error regardless. */
    enum ReportWhen {
        changes,
        always,
        never
    }

    @Option(
            names = "--report",
            paramLabel = "changes|always|never",
            defaultValue = "changes",
            description = "When to print a round's full report on standard output: when its findings differ from the "
                    + "last printed ones (and after the first round), after every round, or never. Every round logs "
                    + "one summary line on standard error; an action or note already logged in the last "
                    + RunCommand.QUIET_ROUNDS + " rounds is not logged again. Default: ${DEFAULT-VALUE}.")
    ReportWhen report;

    /** How many rounds a repeated log line stays quiet. */
    static final int QUIET_ROUNDS = 20;

    @CommandLine.Mixin
    HostOptions host;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (policyFile == null) {
            return ClusterRun.run(
                    this, spec.commandLine().getParseResult(), new EventLog(err, java.time.Clock.systemUTC()));
        }
        RepeatedLines repeats = new RepeatedLines(err, QUIET_ROUNDS, "Round of policy ");
        EventLog log = new EventLog(new PrintWriter(repeats, true), java.time.Clock.systemUTC());
        PolicyFile policies = new PolicyFile();
        AgentPolicy policy;
        try {
            PolicySet set = policies.load(policyFile);
            set.notes().forEach(log::info);
            set.conflicts().forEach(c -> log.info("Conflict in " + policyFile + ": " + c.getMessage()));
            policy = set.policy();
        } catch (PolicyException e) {
            err.println("tcphealth: refused policy " + policyFile + ", nothing was changed:");
            e.problems().forEach(p -> err.println("  " + p));
            return TcpHealthCli.EXIT_USAGE;
        } catch (IOException e) {
            err.println("tcphealth: cannot read policy " + ErrorText.of(e));
            return TcpHealthCli.EXIT_USAGE;
        }
        AgentParts parts = new AgentParts(host.procRoot, sysctlRoot, host.hostNetns, log);
        Journal journal;
        try {
            journal = Journal.open(journalDir, parts.clock);
        } catch (IOException e) {
            err.println("tcphealth: " + ErrorText.of(e));
            return TcpHealthCli.EXIT_USAGE;
        }
        CountDownLatch closed = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<AgentLoop> loop =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread main = Thread.currentThread();
        Thread stopper = new Thread(
                () -> {
                    try {
                        AgentLoop running = loop.get();
                        if (running == null || !running.stop(STOP_GRACE)) {
                            main.interrupt();
                        }
                        closed.await(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "tcphealth-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        AgentEndpoints endpoints = null;
        try {
            JournalRemediator remediation = parts.started(journal);
            // The same metrics, under the same names, as an agent in a cluster (docs/metrics.md), and its probes.
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            AgentProbes probes = new AgentProbes(parts.clock, Duration.ofSeconds(30), () -> true);
            if (metricsPort != null) {
                endpoints = new AgentEndpoints(new InetSocketAddress(metricsPort), registry, probes);
                log.info("Serving metrics on port " + endpoints.port());
            }
            PolicyFileSource source = new PolicyFileSource(policies, policyFile, policy, host.hostNetns, log);
            log.info("Started with policy " + source.policy().name() + " in "
                    + source.policy().mode() + " mode, journal " + journal.file());
            AgentLoop agent = new AgentLoop(
                    new AgentLoop.Parts(
                            source,
                            parts.round(journal, remediation),
                            remediation,
                            RoundSink.all(
                                    new MetricsSink(new ScanMetrics(registry)),
                                    new ConsoleSink(out, output, report, repeats, log)),
                            probes,
                            log::info,
                            "this host",
                            once),
                    source.policy());
            loop.set(agent);
            return agent.run();
        } catch (InterruptedException e) {
            log.info("Stopping on request");
            return 0;
        } finally {
            if (endpoints != null) {
                endpoints.close();
            }
            journal.close();
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for 'closed', which is now counted down
            }
        }
    }
}
