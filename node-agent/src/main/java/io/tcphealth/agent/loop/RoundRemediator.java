package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import java.util.List;

/**
 * The remediation step of a cluster round: plan and act on one scan per the policy's mode, put back what
 * departing policies changed, and undo transient changes on the way out.
 */
public interface RoundRemediator {

    RoundRemedy act(AgentPolicy policy, NodeScan scan, Ages ages, List<Finding> findings) throws InterruptedException;

    /** Undoes the changes of policies that left this node and asked for that (restoreOnDelete). */
    void restoreDeparting(List<PolicyRestore> departing) throws InterruptedException;

    /** Undoes transient changes (the orphan pulse): called when the agent stops. */
    void undoTransient() throws InterruptedException;

    /** Changes nothing: Observe only, whatever the mode says. */
    static RoundRemediator observeOnly() {
        return new RoundRemediator() {
            @Override
            public RoundRemedy act(AgentPolicy policy, NodeScan scan, Ages ages, List<Finding> findings) {
                return RoundRemedy.nothing();
            }

            @Override
            public void restoreDeparting(List<PolicyRestore> departing) {}

            @Override
            public void undoTransient() {}
        };
    }
}
