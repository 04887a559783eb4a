package io.tcphealth.agent.loop;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.scan.NodeScan;
import java.util.List;
import java.util.Set;

/**
 * The remediation step of a round: plan and act on one scan per the policy's mode, put back what policies that
 * left changed, and undo transient changes on the way out. The journal-backed implementation is the only real one;
 * tests that run many agents on prepared scans use one that changes nothing.
 */
public interface RoundRemediator {

    /** Plans and acts on a scan already taken and diagnosed, in the policy's mode. */
    RoundRemedy act(AgentPolicy policy, NodeScan scan, Ages ages, List<Finding> findings) throws InterruptedException;

    /** Puts back (or releases, per their restoreOnDelete) the changes of policies that left this node. */
    void restoreDeparting(Set<String> policies) throws InterruptedException;

    /** Puts back every change the journal holds, its source being gone; false when something could not be. */
    boolean restoreEverything() throws InterruptedException;

    /** Undoes transient changes (the orphan pulse): called when the agent stops. */
    void undoTransient() throws InterruptedException;
}
