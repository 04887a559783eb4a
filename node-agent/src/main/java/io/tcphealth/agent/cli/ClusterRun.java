package io.tcphealth.agent.cli;

import io.tcphealth.agent.cluster.ClusterMode;
import io.tcphealth.agent.cluster.ClusterSettings;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.loop.ScanSource;
import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.netns.PodHostNetns;
import io.tcphealth.agent.remediation.EventLog;
import io.tcphealth.agent.remediation.SysctlRoots;
import java.io.IOException;
import picocli.CommandLine.ParseResult;

/** {@code tcphealth run} without a policy file: cluster mode, wired from the run command's options and the pod's environment. */
final class ClusterRun {
    private ClusterRun() {}

    static int run(RunCommand cmd, ParseResult parsed, EventLog log) throws Exception {
        if (!cmd.cluster && !ClusterSettings.inCluster(System.getenv(), ClusterSettings.fileSystem())) {
            cmd.spec
                    .commandLine()
                    .getErr()
                    .println("tcphealth: run needs --policy FILE, or cluster mode (--cluster, or a pod "
                            + "with NODE_NAME and a service account)");
            return TcpHealthCli.EXIT_USAGE;
        }
        ClusterSettings settings;
        try {
            settings = ClusterSettings.from(
                    System.getenv(),
                    ClusterSettings.fileSystem(),
                    cmd.node,
                    parsed.hasMatchedOption("--proc-root") ? cmd.host.procRoot : null,
                    cmd.sysctlRoot,
                    parsed.hasMatchedOption("--journal") ? cmd.journalDir : null,
                    cmd.metricsPort);
        } catch (IllegalArgumentException e) {
            cmd.spec.commandLine().getErr().println("tcphealth: cluster mode: " + e.getMessage());
            return TcpHealthCli.EXIT_USAGE;
        }
        SysctlRoots roots = new SysctlRoots(
                settings.namespacedSysctlRoot(),
                settings.sysctlRoot() != null
                        ? settings.sysctlRoot()
                        : settings.procRoot().resolve("sys"));
        PodHostNetns choice = hostNetns(cmd, settings, log);
        AgentParts parts = new AgentParts(
                settings.procRoot(),
                roots,
                choice == null ? cmd.host.hostNetns : choice.option(),
                choice != null && choice.nested(),
                log);
        Journal journal;
        try {
            journal = Journal.open(settings.journalDir(), parts.clock);
        } catch (IOException e) {
            cmd.spec.commandLine().getErr().println("tcphealth: " + ErrorText.of(e));
            return TcpHealthCli.EXIT_USAGE;
        }
        try (journal) {
            return new ClusterMode(settings, log::info).run(ScanSource.of(parts.scanner()), parts.started(journal));
        }
    }

    /** The pod's choice between its own namespace and PID 1's (logged), or null when --host-netns decides. */
    private static PodHostNetns hostNetns(RunCommand cmd, ClusterSettings settings, EventLog log) {
        if (cmd.host.hostNetns != null) {
            log.info("Host network namespace: " + cmd.host.hostNetns + " (from --host-netns)");
            return null;
        }
        try {
            PodHostNetns choice = PodHostNetns.read(settings.procRoot(), "self");
            log.info(choice.explanation());
            return choice;
        } catch (IOException e) {
            log.info(
                    "Host network namespace: PID 1's, since this pod's own could not be read (" + e.getMessage() + ")");
            return null;
        }
    }
}
