package io.tcphealth.agent.cli;

import io.tcphealth.agent.diagnosis.SocketAgeStore;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.loop.AgentRound;
import io.tcphealth.agent.loop.RoundRemediator;
import io.tcphealth.agent.loop.ScanSource;
import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.HostNetns;
import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.remediation.EventLog;
import io.tcphealth.agent.remediation.JournalRemediator;
import io.tcphealth.agent.remediation.JournalStartup;
import io.tcphealth.agent.remediation.NamespaceLocator;
import io.tcphealth.agent.remediation.NamespacedSysctlAccess;
import io.tcphealth.agent.remediation.NetlinkSocketKiller;
import io.tcphealth.agent.remediation.PauseHook;
import io.tcphealth.agent.remediation.ProcProcessSignals;
import io.tcphealth.agent.remediation.RemediationMemory;
import io.tcphealth.agent.remediation.Remediator;
import io.tcphealth.agent.remediation.SocketSourceOrphanWatch;
import io.tcphealth.agent.remediation.SysctlAccess;
import io.tcphealth.agent.remediation.SysctlRoots;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.scan.PidfdSocketOptions;
import io.tcphealth.agent.socket.netlink.NetlinkSocketDestroyer;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Wires the agent's real parts (procfs, netlink, sysctl files, kill(2)) for the commands that remediate. */
final class AgentParts {
    /** How long a parent gets to reap after SIGCHLD before the result is recorded. */
    static final Duration REAP_WAIT = Duration.ofSeconds(1);

    final Libc libc = new Libc();
    final Clock clock = Clock.systemUTC();
    final ProcFs procFs;
    final Path procRoot;
    final NamespaceExecutor executor = new NamespaceExecutor(libc);
    final SysctlAccess sysctls = new NamespacedSysctlAccess(executor);
    final SysctlRoots roots;
    final NamespaceLocator locator;
    final NetlinkSocketSource sockets = new NetlinkSocketSource(libc);
    final String hostNetns;
    final boolean podNamespacesOnly;
    final RemediationMemory memory = new RemediationMemory();
    final EventLog log;

    AgentParts(Path procRoot, Path globalSysctlRoot, String hostNetns, EventLog log) {
        this(
                procRoot,
                new SysctlRoots(
                        procRoot.resolve("sys"), globalSysctlRoot == null ? procRoot.resolve("sys") : globalSysctlRoot),
                hostNetns,
                log);
    }

    AgentParts(Path procRoot, SysctlRoots roots, String hostNetns, EventLog log) {
        this(procRoot, roots, hostNetns, false, log);
    }

    /** @param podNamespacesOnly scans of all namespaces cover the host's and the pods' only (a nested node) */
    AgentParts(Path procRoot, SysctlRoots roots, String hostNetns, boolean podNamespacesOnly, EventLog log) {
        this.podNamespacesOnly = podNamespacesOnly;
        this.procRoot = procRoot;
        this.procFs = new ProcFs(procRoot);
        this.roots = roots;
        this.locator = new NamespaceLocator(procRoot, hostPath(procRoot, hostNetns));
        this.hostNetns = hostNetns;
        this.log = log;
    }

    static Path hostPath(Path procRoot, String option) {
        return switch (HostNetns.parse(option)) {
            case HostNetns.Pid1 p -> procRoot.resolve("1/ns/net");
            case HostNetns.Self s -> procRoot.resolve("self/ns/net");
            case HostNetns.AtPath a -> a.path();
        };
    }

    NodeScanner scanner() {
        NamespaceDiscovery fallback = hostNetns == null ? new NamespaceDiscovery(procRoot, new HostNetns.Self()) : null;
        return new NodeScanner(
                        procFs,
                        new NamespaceDiscovery(procRoot, HostNetns.parse(hostNetns), podNamespacesOnly),
                        fallback,
                        executor,
                        sockets,
                        clock)
                .socketOptions(new PidfdSocketOptions(libc));
    }

    Remediator remediator(Journal journal, PauseHook pause) {
        return new Remediator(
                journal,
                sysctls,
                new NetlinkSocketKiller(executor, new NetlinkSocketDestroyer(libc)),
                new ProcProcessSignals(procFs, libc),
                new SocketSourceOrphanWatch(executor, sockets),
                locator,
                memory,
                pause,
                log,
                clock,
                REAP_WAIT);
    }

    /**
     * The remediation step of a remediating agent, on a plain host and in a cluster alike, after the start-up every
     * such agent makes: what {@link JournalStartup} does to the journal before the first round.
     */
    JournalRemediator started(Journal journal) throws IOException, InterruptedException {
        Remediator remediator = remediator(journal, PauseHook.fromEnvironment(System.err));
        JournalStartup.prepare(journal, remediator.replay(), memory, log::info);
        return remediation(journal, remediator);
    }

    /** @param journal null: plans only ({@code diagnose --plan} without a journal) */
    JournalRemediator remediation(Journal journal, Remediator remediator) {
        return new JournalRemediator(journal, remediator, sysctls, roots, memory, clock, log::info);
    }

    AgentRound round(Journal journal, RoundRemediator remediation) {
        // What was observed is kept beside the journal, so a restart does not forget how long a socket has been stuck.
        // A plan without a journal (diagnose --plan) keeps its observations in memory only.
        SocketAges ages = journal == null
                ? new SocketAges()
                : new SocketAges(new SocketAgeStore(journal.file().getParent()));
        return new AgentRound(ScanSource.of(scanner()), ages, remediation);
    }
}
