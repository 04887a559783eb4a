package io.tcphealth.agent.loop;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.SysctlStatus;
import java.util.List;
import java.util.Set;

/**
 * What remediation did in one round.
 *
 * @param actions  each planned action with its result (Done, DryRun, Failed, Skipped)
 * @param findings findings remediation itself made (drift undone, parents that did not reap); the diagnosis's
 *                 own findings are not repeated here
 * @param sysctls  observed, desired and original values of the sysctls a policy sets or the journal holds;
 *                 empty when remediation does not read them (the scan's observed values are shown instead)
 * @param notes    what was deliberately not done this round, and why
 * @param failures what the policy asked for and could not be done; empty when everything asked was done
 * @param held     policies whose changes are still applied on this node (from the journal)
 * @param podNamespaceChanges changes the journal holds open inside pod network namespaces (not the host's)
 */
public record RoundRemedy(
        List<RemediationAction> actions,
        List<Finding> findings,
        List<SysctlStatus> sysctls,
        List<String> notes,
        List<String> failures,
        Set<String> held,
        int podNamespaceChanges) {

    public RoundRemedy {
        actions = List.copyOf(actions);
        findings = List.copyOf(findings);
        sysctls = List.copyOf(sysctls);
        notes = List.copyOf(notes);
        failures = List.copyOf(failures);
        held = Set.copyOf(held);
    }

    public static RoundRemedy nothing() {
        return new RoundRemedy(List.of(), List.of(), List.of(), List.of(), List.of(), Set.of(), 0);
    }
}
