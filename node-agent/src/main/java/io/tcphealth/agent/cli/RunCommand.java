package io.tcphealth.agent.cli;

import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.metrics.AgentMetrics;
import io.tcphealth.agent.metrics.MetricsServer;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.policy.PolicyException;
import io.tcphealth.agent.policy.PolicyFile;
import io.tcphealth.agent.policy.PolicySet;
import io.tcphealth.agent.remediation.AgentRound;
import io.tcphealth.agent.remediation.EventLog;
import io.tcphealth.agent.remediation.JournalReplay;
import io.tcphealth.agent.remediation.PauseHook;
import io.tcphealth.agent.remediation.Remediator;
import io.tcphealth.agent.remediation.RoundReport;
import io.tcphealth.agent.scan.ScanScope;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tcphealth run --policy FILE}: the agent loop fed by a local policy file. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the agent loop from a TcpHealthPolicy file: scans every spec.interval, diagnoses, and remediates according "
                    + "to spec.remediation.mode: Observe changes nothing (and puts back what tcphealth tuned before), DryRun "
                    + "reports exactly what Enforce would do, Enforce does it. Every change is written to the journal before "
                    + "it is made. Stops cleanly on SIGTERM and SIGINT; transient changes are undone on any exit.",
            "Editing the file takes effect at the next round; removing it restores what it changed and stops.",
            "",
            "Exit status: 0 when the rounds completed; 1 when something the policy asked for could not be done "
                    + "(with --once); 3 for a refused policy, an unusable journal or a usage error."},
        sortOptions = false)
final class RunCommand implements Callable<Integer> {
    static final int EXIT_NOT_DONE = 1;
    /** Sockets destroyed and signals sent add a line each; past this size the journal keeps only what is open. */
    static final long JOURNAL_COMPACT_BYTES = 4L * 1024 * 1024;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "A TcpHealthPolicy YAML file (the same schema as the custom resource), a file of several "
                    + "(--- or kind: List) or a directory of them, merged as the operator merges a node's policies. Without it, and in a pod "
                    + "(NODE_NAME and in-cluster credentials) or with --cluster, the agent runs in cluster mode.")
    Path policyFile;

    @Option(names = "--cluster", description = "Cluster mode: follow this node's TcpHealthNode, report its status and "
            + "Events to the API server (credentials from the pod's service account or the kubeconfig).")
    boolean cluster;

    @Option(names = "--node", paramLabel = "NAME", description = "This node's name in cluster mode. Default: $NODE_NAME.")
    String node;

    @Option(names = "--once", description = "One scan-and-remediate round, then exit.")
    boolean once;

    @Option(names = "--journal", paramLabel = "DIR", defaultValue = "/var/lib/tcphealth/journal",
            description = "Where original values are recorded before any change. Default: ${DEFAULT-VALUE}.")
    Path journalDir;

    @Option(names = "--sysctl-root", paramLabel = "DIR",
            description = "Where host-wide sysctls (net.ipv4.tcp_max_orphans) are read and written; default <proc-root>/sys. "
                    + "Per-namespace keys are always under <proc-root>/sys inside their namespace. For tests.")
    Path sysctlRoot;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics on http://0.0.0.0:PORT/metrics (0 picks a free port).")
    Integer metricsPort;

    @Option(names = {"-o", "--output"}, paramLabel = "yaml|json", defaultValue = "yaml",
            description = "Format of the report printed after each round. Default: ${DEFAULT-VALUE}.")
    RoundFormat output;

    @CommandLine.Mixin
    HostOptions host;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EventLog log = new EventLog(err, java.time.Clock.systemUTC());
        if (policyFile == null) {
            return ClusterRun.run(this, spec.commandLine().getParseResult(), log);
        }
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
            err.println("tcphealth: cannot read policy " + policyFile + ": " + e.getMessage());
            return TcpHealthCli.EXIT_USAGE;
        }
        AgentParts parts = new AgentParts(host.procRoot, sysctlRoot, host.hostNetns, log);
        Journal journal;
        try {
            journal = Journal.open(journalDir, parts.clock);
        } catch (IOException e) {
            err.println("tcphealth: " + e.getMessage());
            return TcpHealthCli.EXIT_USAGE;
        }
        Thread main = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            main.interrupt();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tcphealth-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        Remediator remediator = parts.remediator(journal, PauseHook.fromEnvironment(System.err));
        JournalReplay replay = remediator.replay();
        MetricsServer metricsServer = null;
        try {
            journal.warnings().forEach(log::info);
            if (journal.compactIfLarger(JOURNAL_COMPACT_BYTES)) {
                log.info("Compacted journal " + journal.file() + " to its " + journal.openChanges().size() + " open changes");
            }
            undoTransient(replay, log, "left open by an earlier run");
            journal.lastPulse().ifPresent(parts.memory::pulseStartedAt);
            AgentMetrics metrics = new AgentMetrics();
            if (metricsPort != null) {
                metricsServer = new MetricsServer(new InetSocketAddress(metricsPort), metrics);
                log.info("Serving metrics on port " + metricsServer.port());
            }
            AgentRound round = parts.round(journal, remediator);
            policy = narrowed(policy, log);
            log.info("Started with policy " + policy.name() + " in " + policy.mode() + " mode, journal " + journal.file());
            List<String> lastNotes = List.of();
            PolicyFile.Stamp stamp = PolicyFile.stamp(policyFile);
            while (true) {
                if (!Files.exists(policyFile)) {
                    log.info("Policy file " + policyFile + " was removed: putting back what policy " + policy.name() + " changed");
                    List<JournalReplay.Outcome> outcomes = replay.replay(c -> true, true);
                    return outcomes.stream().anyMatch(o -> o.result().equals("Failed")) ? EXIT_NOT_DONE : 0;
                }
                PolicyFile.Stamp now = PolicyFile.stamp(policyFile);
                if (!now.equals(stamp)) {
                    stamp = now;
                    policy = narrowed(reload(policies, policy, log), log);
                }
                RoundReport report;
                try {
                    report = round.run(policy);
                } catch (IOException e) {
                    log.info("Round failed: " + e.getMessage());
                    if (once) {
                        return EXIT_NOT_DONE;
                    }
                    Thread.sleep(policy.interval().toMillis());
                    continue;
                }
                out.print(output.render(report));
                out.flush();
                metrics.record(report);
                log.info(RoundSummary.of(report));
                if (report.notes() != null && !report.notes().equals(lastNotes)) {
                    report.notes().forEach(n -> log.info("Not done: " + n));
                }
                lastNotes = report.notes() == null ? List.of() : report.notes();
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
                undoTransient(replay, log, "on exit");
            } catch (InterruptedException e) {
                log.info("Interrupted while undoing transient changes; the next start undoes them");
            }
            if (metricsServer != null) {
                metricsServer.close();
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
        return new AgentPolicy(p.name(), p.interval(), ScanScope.HOST, p.ports(), p.thresholds(), p.sysctls(), p.mode(),
                p.kill(), p.pulse(), p.zombies(), p.restoreOnDelete());
    }

    private static void undoTransient(JournalReplay replay, EventLog log, String why) throws InterruptedException {
        List<JournalReplay.Outcome> outcomes = replay.replay(c -> c.lifetime() == Change.Lifetime.TRANSIENT, false);
        if (!outcomes.isEmpty()) {
            log.info("Undid " + outcomes.size() + " transient change" + (outcomes.size() == 1 ? "" : "s") + " " + why);
        }
    }

    private AgentPolicy reload(PolicyFile policies, AgentPolicy current, EventLog log) {
        try {
            PolicySet set = policies.load(policyFile);
            set.conflicts().forEach(c -> log.info("Conflict in " + policyFile + ": " + c.getMessage()));
            AgentPolicy next = set.policy();
            log.info("Reloaded policy " + next.name() + " from " + policyFile + " (" + next.mode() + " mode)");
            return next;
        } catch (PolicyException e) {
            log.info("Refused the edited policy " + policyFile + ", keeping the previous one: " + String.join("; ", e.problems()));
        } catch (IOException e) {
            log.info("Cannot read the edited policy " + policyFile + ", keeping the previous one: " + e.getMessage());
        }
        return current;
    }
}
