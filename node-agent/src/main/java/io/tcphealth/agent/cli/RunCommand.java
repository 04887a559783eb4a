package io.tcphealth.agent.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.metrics.AgentEndpoints;
import io.tcphealth.agent.metrics.AgentProbes;
import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.policy.PolicyException;
import io.tcphealth.agent.policy.PolicyFile;
import io.tcphealth.agent.policy.PolicySet;
import io.tcphealth.agent.remediation.AgentRound;
import io.tcphealth.agent.remediation.EventLog;
import io.tcphealth.agent.remediation.JournalReplay;
import io.tcphealth.agent.remediation.JournalStartup;
import io.tcphealth.agent.remediation.PauseHook;
import io.tcphealth.agent.remediation.Remediator;
import io.tcphealth.agent.remediation.RoundReport;
import io.tcphealth.agent.scan.ScanScope;
import io.tcphealth.api.v1alpha1.ActionResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
    static final int EXIT_NOT_DONE = 1;

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
        Thread main = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = new Thread(
                () -> {
                    main.interrupt();
                    try {
                        finished.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "tcphealth-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        Remediator remediator = parts.remediator(journal, PauseHook.fromEnvironment(System.err));
        JournalReplay replay = remediator.replay();
        AgentEndpoints endpoints = null;
        try {
            JournalStartup.prepare(journal, replay, parts.memory, log::info);
            // The same metrics, under the same names, as an agent in a cluster (docs/metrics.md), and its probes.
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ScanMetrics metrics = new ScanMetrics(registry);
            AgentProbes probes = new AgentProbes(parts.clock, Duration.ofSeconds(30), () -> true);
            if (metricsPort != null) {
                endpoints = new AgentEndpoints(new InetSocketAddress(metricsPort), registry, probes);
                log.info("Serving metrics on port " + endpoints.port());
            }
            AgentRound round = parts.round(journal, remediator);
            policy = narrowed(policy, log);
            log.info("Started with policy " + policy.name() + " in " + policy.mode() + " mode, journal "
                    + journal.file());
            Set<String> lastFindings = null;
            PolicyFile.Stamp stamp = PolicyFile.stamp(policyFile);
            while (true) {
                if (!Files.exists(policyFile)) {
                    log.info("Policy file " + policyFile + " was removed: putting back what policy " + policy.name()
                            + " changed");
                    List<JournalReplay.Outcome> outcomes = replay.replay(c -> true, true);
                    return outcomes.stream().anyMatch(o -> o.result() == ActionResult.Failed) ? EXIT_NOT_DONE : 0;
                }
                PolicyFile.Stamp now = PolicyFile.stamp(policyFile);
                if (!now.equals(stamp)) {
                    stamp = now;
                    policy = narrowed(reload(policies, policy, log), log);
                }
                repeats.nextRound();
                RoundReport report;
                try {
                    report = round.run(policy, metrics::scanned);
                } catch (IOException e) {
                    metrics.scanFailed();
                    log.info("Round failed: " + ErrorText.of(e));
                    if (once) {
                        return EXIT_NOT_DONE;
                    }
                    Thread.sleep(policy.interval().toMillis());
                    continue;
                }
                Set<String> findings = RoundSummary.findingKeys(report);
                if (this.report == ReportWhen.always
                        || this.report == ReportWhen.changes && !findings.equals(lastFindings)) {
                    out.print(output.render(report));
                    out.flush();
                    lastFindings = findings;
                }
                metrics.actions(report.actions() == null ? List.of() : report.actions());
                metrics.round(report.failures() != null && !report.failures().isEmpty());
                probes.scanned(policy.interval());
                log.info(RoundSummary.of(report));
                if (report.notes() != null) {
                    report.notes().forEach(n -> log.info("Not done: " + n));
                }
                if (once) {
                    return report.failures() == null || report.failures().isEmpty() ? 0 : EXIT_NOT_DONE;
                }
                Thread.sleep(policy.interval().toMillis());
            }
        } catch (InterruptedException e) {
            log.info("Stopping on request");
            return 0;
        } finally {
            Thread.interrupted();
            try {
                JournalStartup.undoTransient(replay, log::info, "on exit");
            } catch (InterruptedException e) {
                log.info("Interrupted while undoing transient changes; the next start undoes them");
            }
            if (endpoints != null) {
                endpoints.close();
            }
            journal.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for 'finished', which is now counted down
            }
        }
    }

    /**
     * With {@code --host-netns}, the namespaces of everything else on the machine (the real host's among
     * them) are not this agent's to change: AllNamespaces is narrowed to the chosen host namespace.
     */
    private AgentPolicy narrowed(AgentPolicy p, EventLog log) {
        if (host.hostNetns == null || p.scope() != ScanScope.ALL) {
            return p;
        }
        log.info("Scope AllNamespaces narrowed to the namespace given by --host-netns: other namespaces on this machine"
                + " are not changed");
        return new AgentPolicy(
                p.name(),
                p.interval(),
                ScanScope.HOST,
                p.ports(),
                p.thresholds(),
                p.sysctls(),
                p.mode(),
                p.kill(),
                p.pulse(),
                p.zombies(),
                p.restoreOnDelete());
    }

    private AgentPolicy reload(PolicyFile policies, AgentPolicy current, EventLog log) {
        try {
            PolicySet set = policies.load(policyFile);
            set.conflicts().forEach(c -> log.info("Conflict in " + policyFile + ": " + c.getMessage()));
            AgentPolicy next = set.policy();
            log.info("Reloaded policy " + next.name() + " from " + policyFile + " (" + next.mode() + " mode)");
            return next;
        } catch (PolicyException e) {
            log.info("Refused the edited policy " + policyFile + ", keeping the previous one: "
                    + String.join("; ", e.problems()));
        } catch (IOException e) {
            log.info("Cannot read the edited policy " + policyFile + ", keeping the previous one: " + ErrorText.of(e));
        }
        return current;
    }
}
