package io.tcphealth.agent.remediation;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.Diagnoser;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.netns.HostNetns;
import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.agent.socket.netlink.NetlinkSocketDestroyer;
import io.tcphealth.agent.socket.netlink.NetlinkSocketSource;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.testsupport.TestNetns;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The real parts (netlink, /proc/sys inside the namespace, kill(2), the journal on disk) wired around
 * one test namespace that counts as the host's, with ages supplied by the test.
 */
final class KernelRig implements AutoCloseable {
    static final Path PROC = Path.of("/proc");

    final TestNetns ns;
    final Libc libc = new Libc();
    final NamespaceExecutor executor = new NamespaceExecutor(libc);
    final NetlinkSocketSource source = new NetlinkSocketSource(libc);
    final SysctlAccess sysctls = new NamespacedSysctlAccess(executor);
    final SysctlRoots roots;
    final Journal journal;
    final RemediationMemory memory = new RemediationMemory();
    final StringWriter log = new StringWriter();
    final Remediator remediator;
    final NodeScanner scanner;
    Ages ages = Ages.UNKNOWN;

    KernelRig(TestNetns ns, Path journalDir, Path globalRoot) throws IOException {
        this.ns = ns;
        this.roots = new SysctlRoots(PROC.resolve("sys"), globalRoot);
        this.journal = Journal.open(journalDir, Clock.systemUTC());
        ProcFs procFs = new ProcFs(PROC);
        this.scanner = new NodeScanner(
                procFs,
                new NamespaceDiscovery(PROC, new HostNetns.AtPath(ns.path())),
                null,
                executor,
                source,
                Clock.systemUTC());
        this.remediator = new Remediator(
                journal,
                sysctls,
                new NetlinkSocketKiller(executor, new NetlinkSocketDestroyer(libc)),
                new ProcProcessSignals(procFs, libc),
                new SocketSourceOrphanWatch(executor, source),
                new NamespaceLocator(PROC, null),
                memory,
                PauseHook.NONE,
                new EventLog(new PrintWriter(log, true), Clock.systemUTC()),
                Clock.systemUTC(),
                Duration.ofSeconds(2));
    }

    NodeScan scan(AgentPolicy policy) throws IOException, InterruptedException {
        return scanner.scan(policy.scope(), new HashSet<>(policy.ports()));
    }

    NetNamespace host(NodeScan scan) {
        return scan.host().orElseThrow().namespace();
    }

    Plan plan(AgentPolicy policy, NodeScan scan) throws InterruptedException {
        List<Finding> findings = new Diagnoser().diagnose(scan, ages, policy.diagnosisSettings());
        List<SysctlObservation> observed = new ArrayList<>();
        for (SysctlKey key : SysctlKey.values()) {
            if (!policy.sysctls().containsKey(key)
                    && journal.openChanges().stream().noneMatch(c -> c.key() == key)) {
                continue;
            }
            for (NamespaceScan n : scan.namespaces()) {
                try {
                    observed.add(new SysctlObservation(
                            n.namespace(),
                            roots.rootFor(key),
                            key,
                            sysctls.read(n.namespace(), roots.rootFor(key), key),
                            null));
                } catch (IOException e) {
                    observed.add(new SysctlObservation(n.namespace(), roots.rootFor(key), key, null, e.getMessage()));
                }
            }
        }
        return new RemediationPlanner()
                .plan(new RemediationPlanner.Input(
                        policy, scan, ages, findings, observed, journal.openChanges(), memory, roots, scan.time()));
    }

    RoundResult round(AgentPolicy policy) throws IOException, InterruptedException {
        NodeScan scan = scan(policy);
        Plan plan = plan(policy, scan);
        return policy.mode() == RemediationMode.Enforce
                ? remediator.enforce(policy, plan)
                : remediator.report(policy, plan);
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
