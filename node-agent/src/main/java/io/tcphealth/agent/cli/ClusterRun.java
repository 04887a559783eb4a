package io.tcphealth.agent.cli;

import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.cluster.ClusterMode;
import io.tcphealth.agent.cluster.ClusterSettings;
import io.tcphealth.agent.cluster.JournalRemediator;
import io.tcphealth.agent.cluster.RoundRemediator;
import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.remediation.AgentRound;
import io.tcphealth.agent.remediation.EventLog;
import io.tcphealth.agent.remediation.PauseHook;
import io.tcphealth.agent.remediation.Remediator;
import java.io.IOException;
import picocli.CommandLine.ParseResult;

/** {@code tcphealth run} without a policy file: cluster mode, wired from the run command's options and the pod's environment. */
final class ClusterRun {
    private ClusterRun() {
    }

    static int run(RunCommand cmd, ParseResult parsed, EventLog log) throws Exception {
        if (!cmd.cluster && !ClusterSettings.inCluster(System.getenv(), ClusterSettings.fileSystem())) {
            cmd.spec.commandLine().getErr().println("tcphealth: run needs --policy FILE, or cluster mode (--cluster, or a pod "
                    + "with NODE_NAME and a service account)");
            return TcpHealthCli.EXIT_USAGE;
        }
        ClusterSettings settings;
        try {
            settings = ClusterSettings.from(System.getenv(), ClusterSettings.fileSystem(), cmd.node,
                    parsed.hasMatchedOption("--proc-root") ? cmd.host.procRoot : null, cmd.sysctlRoot,
                    parsed.hasMatchedOption("--journal") ? cmd.journalDir : null, cmd.metricsPort);
        } catch (IllegalArgumentException e) {
            cmd.spec.commandLine().getErr().println("tcphealth: cluster mode: " + e.getMessage());
            return TcpHealthCli.EXIT_USAGE;
        }
        AgentParts parts = new AgentParts(settings.procRoot(), settings.sysctlRoot(), cmd.host.hostNetns, log);
        Journal journal;
        try {
            journal = Journal.open(settings.journalDir(), parts.clock);
        } catch (IOException e) {
            cmd.spec.commandLine().getErr().println("tcphealth: " + ErrorText.of(e));
            return TcpHealthCli.EXIT_USAGE;
        }
        try (journal) {
            Remediator remediator = parts.remediator(journal, PauseHook.fromEnvironment(System.err));
            journal.warnings().forEach(log::info);
            // A pulse left open by a crash is undone before anything else, as the local loop does.
            int undone = remediator.replay().replay(c -> c.lifetime() == Change.Lifetime.TRANSIENT, false).size();
            if (undone > 0) {
                log.info("Undid " + undone + " transient change" + (undone == 1 ? "" : "s") + " left open by an earlier run");
            }
            journal.lastPulse().ifPresent(parts.memory::pulseStartedAt);
            AgentRound round = parts.round(journal, remediator);
            RoundRemediator remediation = new JournalRemediator(round, journal, remediator.replay());
            return new ClusterMode(settings, log::info).run(parts.scanner()::scan, remediation);
        }
    }
}
