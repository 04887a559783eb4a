package io.tcphealth.agent.remediation;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.api.v1alpha1.RemediationAction;
import java.util.List;

/**
 * What one round of remediation did.
 *
 * @param actions  each planned action with its result: Done, DryRun, Failed or Skipped
 * @param findings findings remediation itself made (drift undone, parents that did not reap)
 * @param failures what the policy asked for that could not be done; empty when everything asked was done
 */
public record RoundResult(List<RemediationAction> actions, List<Finding> findings, List<String> failures) {

    public RoundResult {
        actions = List.copyOf(actions);
        findings = List.copyOf(findings);
        failures = List.copyOf(failures);
    }
}
