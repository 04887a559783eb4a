package io.tcphealth.agent.remediation;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.Diagnoser;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.scan.NodeScanner;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.SysctlStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** One round of the agent: scan, diagnose, read the policy's sysctls, plan, and act per the mode. */
public final class AgentRound {
    private final NodeScanner scanner;
    private final Diagnoser diagnoser = new Diagnoser();
    private final RemediationPlanner planner = new RemediationPlanner();
    private final SocketAges ages;
    private final SysctlAccess sysctls;
    private final SysctlRoots roots;
    private final Journal journal;
    private final Remediator remediator;
    private final RemediationMemory memory;
    private final Clock clock;

    public AgentRound(
            NodeScanner scanner,
            SocketAges ages,
            SysctlAccess sysctls,
            SysctlRoots roots,
            Journal journal,
            Remediator remediator,
            RemediationMemory memory,
            Clock clock) {
        this.scanner = scanner;
        this.ages = ages;
        this.sysctls = sysctls;
        this.roots = roots;
        this.journal = journal;
        this.remediator = remediator;
        this.memory = memory;
        this.clock = clock;
    }

    /** Plans without acting: what {@code DryRun} and {@code diagnose --plan} show. */
    public RoundReport plan(AgentPolicy policy) throws IOException, InterruptedException {
        return round(policy, RemediationMode.DryRun, (scan, findings) -> {});
    }

    /**
     * A full round in the policy's own mode.
     *
     * @param scanned told of every scan and its findings before remediation acts, for the metrics
     */
    public RoundReport run(AgentPolicy policy, BiConsumer<NodeScan, List<Finding>> scanned)
            throws IOException, InterruptedException {
        return round(policy, policy.mode(), scanned);
    }

    private RoundReport round(AgentPolicy policy, RemediationMode mode, BiConsumer<NodeScan, List<Finding>> scanned)
            throws IOException, InterruptedException {
        NodeScan scan = scanner.scan(
                policy.scope(),
                new HashSet<>(policy.ports()),
                policy.thresholds().connections().idleWithoutKeepaliveAfter());
        ages.observe(scan);
        List<Finding> findings = diagnoser.diagnose(scan, ages, policy.diagnosisSettings());
        scanned.accept(scan, findings);
        return act(policy, mode, scan, ages, findings);
    }

    /**
     * Plans and acts on a scan already taken and diagnosed (as a cluster round does), in {@code mode}:
     * Observe only puts back what tcphealth tuned earlier, DryRun reports, Enforce acts.
     */
    public RoundReport act(AgentPolicy policy, RemediationMode mode, NodeScan scan, Ages ages, List<Finding> diagnosed)
            throws InterruptedException {
        List<Finding> findings = new ArrayList<>(diagnosed);
        List<SysctlObservation> before = observe(policy, scan);
        AgentPolicy acting = mode == policy.mode() ? policy : withMode(policy, mode);
        Plan plan = planner.plan(new RemediationPlanner.Input(
                acting,
                scan,
                ages,
                findings,
                before,
                journal == null ? List.of() : journal.openChanges(),
                memory,
                roots,
                clock.instant()));
        RoundResult result = switch (mode) {
            case Observe, Enforce -> remediator.enforce(policy, plan);
            case DryRun -> remediator.report(policy, plan);
        };
        findings.addAll(result.findings());
        findings.sort(Finding.MOST_SEVERE_FIRST);
        List<SysctlObservation> after =
                mode != RemediationMode.DryRun && !plan.actions().isEmpty() ? observe(policy, scan) : before;
        List<String> failures = new ArrayList<>(result.failures());
        if (mode == RemediationMode.Enforce) {
            // A key the policy sets that cannot even be read here cannot be held: the policy's ask is not met.
            before.stream()
                    .filter(o -> o.observed() == null && policy.sysctls().containsKey(o.key()))
                    .forEach(o -> failures.add("Cannot hold " + o.key().dottedName() + " in "
                            + o.namespace().label() + ": " + o.problem()));
        }
        return new RoundReport(
                scan.time().toString(),
                policy.name(),
                mode.name(),
                findings,
                status(policy, after),
                result.actions(),
                plan.notes(),
                failures,
                scan.problems());
    }

    private static AgentPolicy withMode(AgentPolicy p, RemediationMode mode) {
        return new AgentPolicy(
                p.name(),
                p.interval(),
                p.scope(),
                p.ports(),
                p.thresholds(),
                p.sysctls(),
                mode,
                p.kill(),
                p.pulse(),
                p.zombies(),
                p.restoreOnDelete());
    }

    /** Reads each sysctl the policy sets (or the journal holds) in each namespace it applies to. */
    private List<SysctlObservation> observe(AgentPolicy policy, NodeScan scan) throws InterruptedException {
        Set<SysctlKey> keys = new HashSet<>(policy.sysctls().keySet());
        if (journal != null) {
            journal.openChanges().stream()
                    .filter(c -> c.lifetime() == Change.Lifetime.PERSISTENT)
                    .forEach(c -> keys.add(c.key()));
        }
        List<SysctlObservation> out = new ArrayList<>();
        for (SysctlKey key : SysctlKey.values()) {
            if (!keys.contains(key)) {
                continue;
            }
            for (NamespaceScan ns : scan.namespaces()) {
                NetNamespace n = ns.namespace();
                if (!RemediationPlanner.inScope(key, n)) {
                    continue;
                }
                try {
                    out.add(new SysctlObservation(
                            n, roots.rootFor(key), key, sysctls.read(n, roots.rootFor(key), key), null));
                } catch (IOException e) {
                    out.add(new SysctlObservation(n, roots.rootFor(key), key, null, e.getMessage()));
                }
            }
        }
        return out;
    }

    private List<SysctlStatus> status(AgentPolicy policy, List<SysctlObservation> observed) {
        Map<SysctlKey, Long> desired = policy.sysctls();
        List<Change> open = journal == null ? List.of() : journal.openChanges();
        List<SysctlStatus> out = new ArrayList<>();
        for (SysctlObservation o : observed) {
            Change change = open.stream()
                    .filter(c -> c.lifetime() == Change.Lifetime.PERSISTENT
                            && c.key() == o.key()
                            && c.netnsInode() == o.namespace().inode())
                    .findFirst()
                    .orElse(null);
            SysctlStatus s = new SysctlStatus();
            s.setName(o.key().dottedName());
            s.setNetns(o.namespace().label());
            s.setObserved(o.observed());
            s.setDesired(desired.get(o.key()));
            s.setOriginal(change != null ? Long.valueOf(change.original()) : o.observed());
            s.setApplied(change != null && o.observed() != null && o.observed().equals(desired.get(o.key())));
            s.setPolicy(desired.containsKey(o.key()) ? policy.name() : change == null ? null : change.policy());
            out.add(s);
        }
        return out;
    }
}
