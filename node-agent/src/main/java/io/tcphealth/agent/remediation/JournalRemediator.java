package io.tcphealth.agent.remediation;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.loop.RoundRemediator;
import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.RemediationMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The remediation step of every round, on a plain host and in a cluster: read the sysctls the policy sets (or the
 * journal holds), plan, and act per the mode (Observe only puts back what tcphealth tuned earlier, DryRun reports,
 * Enforce acts), every change journaled first. Policies that leave get their changes put back (or released, when
 * they said restoreOnDelete: false); transient changes are undone when the agent stops, exactly as at start-up
 * ({@link JournalStartup}). Without a journal ({@code diagnose --plan} with none) it plans on what it reads.
 */
public final class JournalRemediator implements RoundRemediator {
    private final RemediationPlanner planner = new RemediationPlanner();
    private final Journal journal;
    private final Remediator remediator;
    private final SysctlView sysctls;
    private final RemediationMemory memory;
    private final Clock clock;
    private final Consumer<String> log;

    /** @param journal null: plan only, nothing is held */
    public JournalRemediator(
            Journal journal,
            Remediator remediator,
            SysctlAccess sysctls,
            SysctlRoots roots,
            RemediationMemory memory,
            Clock clock,
            Consumer<String> log) {
        this.journal = journal;
        this.remediator = remediator;
        this.sysctls = new SysctlView(sysctls, roots);
        this.memory = memory;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public RoundRemedy act(AgentPolicy policy, NodeScan scan, Ages ages, List<Finding> findings)
            throws InterruptedException {
        RemediationMode mode = policy.mode();
        List<SysctlObservation> before = sysctls.observe(policy, scan, open());
        Plan plan = planner.plan(new RemediationPlanner.Input(
                policy, scan, ages, findings, before, open(), memory, sysctls.roots(), clock.instant()));
        RoundResult result = switch (mode) {
            case Observe, Enforce -> remediator.enforce(policy, plan);
            case DryRun -> remediator.report(policy, plan);
        };
        List<SysctlObservation> after =
                mode != RemediationMode.DryRun && !plan.actions().isEmpty()
                        ? sysctls.observe(policy, scan, open())
                        : before;
        List<String> failures = new ArrayList<>(result.failures());
        if (mode == RemediationMode.Enforce) {
            // A key the policy sets that cannot even be read here cannot be held: the policy's ask is not met.
            before.stream()
                    .filter(o -> o.observed() == null && policy.sysctls().containsKey(o.key()))
                    .forEach(o -> failures.add("Cannot hold " + o.key().dottedName() + " in "
                            + o.namespace().label() + ": " + o.problem()));
        }
        List<Change> open = open();
        return new RoundRemedy(
                result.actions(),
                result.findings(),
                SysctlView.status(policy, after, open),
                plan.notes(),
                failures,
                held(open),
                podNamespaceChanges(open));
    }

    @Override
    public void restoreDeparting(Set<String> policies) throws InterruptedException {
        // Each change carries the restoreOnDelete of the policy that made it: true puts the original back,
        // false releases the value as it is. Either way the policy no longer holds anything here.
        remediator
                .replay()
                .replay(c -> c.lifetime() == Change.Lifetime.PERSISTENT && policies.contains(c.policy()), true);
    }

    @Override
    public boolean restoreEverything() throws InterruptedException {
        return remediator.replay().replay(c -> true, true).stream().noneMatch(o -> o.result() == ActionResult.Failed);
    }

    @Override
    public void undoTransient() throws InterruptedException {
        JournalStartup.undoTransient(remediator.replay(), log, "on exit");
    }

    private List<Change> open() {
        return journal == null ? List.of() : journal.openChanges();
    }

    /** Policies whose persistent changes the journal holds open. */
    static Set<String> held(List<Change> open) {
        return open.stream()
                .filter(c -> c.lifetime() == Change.Lifetime.PERSISTENT)
                .map(Change::policy)
                .collect(Collectors.toSet());
    }

    /** Open changes outside the host's namespace: restoring them needs setns, hence SYS_ADMIN. */
    static int podNamespaceChanges(List<Change> open) {
        return (int) open.stream()
                .filter(c -> !c.netns().equals(NetNamespace.HOST_LABEL))
                .count();
    }
}
