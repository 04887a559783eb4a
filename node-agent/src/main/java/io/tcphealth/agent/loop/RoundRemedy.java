package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.SysctlStatus;
import java.util.List;
import java.util.Set;

/**
 * What remediation did in one round, for the node's status.
 *
 * @param actions  each planned action with its result (Done, DryRun, Failed, Skipped)
 * @param findings findings remediation itself made (drift undone, parents that did not reap)
 * @param sysctls  observed, desired and original values of the sysctls a policy sets or the journal holds;
 *                 empty when remediation does not read them (the scan's observed values are shown instead)
 * @param held     policies whose changes are still applied on this node (from the journal)
 * @param podNamespaceChanges changes the journal holds open inside pod network namespaces (not the host's)
 */
public record RoundRemedy(
        List<RemediationAction> actions,
        List<Finding> findings,
        List<SysctlStatus> sysctls,
        Set<String> held,
        int podNamespaceChanges) {

    public RoundRemedy {
        actions = List.copyOf(actions);
        findings = List.copyOf(findings);
        sysctls = List.copyOf(sysctls);
        held = Set.copyOf(held);
    }

    public static RoundRemedy nothing() {
        return new RoundRemedy(List.of(), List.of(), List.of(), Set.of(), 0);
    }
}
