package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.loop.RoundRemediator;
import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.scan.NodeScan;
import java.util.List;
import java.util.Set;

/** A remediation step that changes nothing, whatever the mode says: for agents run on prepared scans. */
public final class ObserveOnly implements RoundRemediator {
    @Override
    public RoundRemedy act(AgentPolicy policy, NodeScan scan, Ages ages, List<Finding> findings) {
        return RoundRemedy.nothing();
    }

    @Override
    public void restoreDeparting(Set<String> policies) {}

    @Override
    public boolean restoreEverything() {
        return true;
    }

    @Override
    public void undoTransient() {}
}
