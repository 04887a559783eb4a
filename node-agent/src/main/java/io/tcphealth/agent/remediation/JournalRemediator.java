package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.remediation.AgentRound;
import io.tcphealth.agent.remediation.JournalReplay;
import io.tcphealth.agent.remediation.RoundReport;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The remediation step of a cluster round, by the same engine as {@code tcphealth run --policy}: plans on the
 * round's scan and acts per the spec's mode, every change journaled first. Departing policies' changes are
 * put back (or released, when their policy said restoreOnDelete: false), and transient changes are undone when
 * the agent stops; what the journal still holds is reported as the node's applied policies.
 */
public final class JournalRemediator implements RoundRemediator {
    private final AgentRound round;
    private final Journal journal;
    private final JournalReplay replay;

    public JournalRemediator(AgentRound round, Journal journal, JournalReplay replay) {
        this.round = round;
        this.journal = journal;
        this.replay = replay;
    }

    @Override
    public RoundRemedy act(AgentPolicy policy, NodeScan scan, Ages ages, List<Finding> findings)
            throws InterruptedException {
        RoundReport report = round.act(policy, policy.mode(), scan, ages, findings);
        List<Finding> own = new ArrayList<>(report.findings());
        for (Finding f : findings) {
            own.remove(f);
        }
        return new RoundRemedy(
                report.actions() == null ? List.of() : report.actions(),
                own,
                report.sysctls() == null ? List.of() : report.sysctls(),
                held(),
                podNamespaceChanges(journal.openChanges()));
    }

    @Override
    public void restoreDeparting(List<PolicyRestore> departing) throws InterruptedException {
        Set<String> leaving = departing.stream().map(PolicyRestore::getPolicy).collect(Collectors.toSet());
        if (leaving.isEmpty()) {
            return;
        }
        // Each change carries the restoreOnDelete of the policy that made it: true puts the original back,
        // false releases the value as it is. Either way the policy no longer holds anything here.
        replay.replay(c -> c.lifetime() == Change.Lifetime.PERSISTENT && leaving.contains(c.policy()), true);
    }

    @Override
    public void undoTransient() throws InterruptedException {
        replay.replay(c -> c.lifetime() == Change.Lifetime.TRANSIENT, false);
    }

    /** Open changes outside the host's namespace: restoring them needs setns, hence SYS_ADMIN. */
    static int podNamespaceChanges(List<Change> open) {
        return (int) open.stream()
                .filter(c -> !c.netns().equals(NetNamespace.HOST_LABEL))
                .count();
    }

    private Set<String> held() {
        return journal.openChanges().stream()
                .filter(c -> c.lifetime() == Change.Lifetime.PERSISTENT)
                .map(Change::policy)
                .collect(Collectors.toSet());
    }
}
