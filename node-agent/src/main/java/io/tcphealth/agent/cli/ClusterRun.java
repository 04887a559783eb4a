package io.tcphealth.agent.cli;

import io.tcphealth.agent.cluster.ClusterMode;
import io.tcphealth.agent.cluster.ClusterSettings;
import io.tcphealth.agent.cluster.RoundRemediator;
import io.tcphealth.agent.remediation.EventLog;
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
                    parsed.hasMatchedOption("--proc-root") ? cmd.procRoot : null, cmd.sysctlRoot,
                    parsed.hasMatchedOption("--journal") ? cmd.journalDir : null, cmd.metricsPort);
        } catch (IllegalArgumentException e) {
            cmd.spec.commandLine().getErr().println("tcphealth: cluster mode: " + e.getMessage());
            return TcpHealthCli.EXIT_USAGE;
        }
        AgentParts parts = new AgentParts(settings.procRoot(), settings.sysctlRoot(), cmd.hostNetns, log);
        log.info("Cluster mode on node " + settings.node() + ": remediation runs in Observe mode only (reports, changes nothing)");
        return new ClusterMode(settings, log::info).run(parts.scanner()::scan, RoundRemediator.observeOnly());
    }
}
