package io.tcphealth.agent.loop;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.SysctlStatus;
import java.util.List;

/**
 * One round of {@code tcphealth run}: what was found, planned and done. Field names follow the
 * {@code TcpHealthNode} status ({@code findings}, {@code sysctls}, {@code actions}).
 *
 * @param actions  every planned action with its result (DryRun for a dry run)
 * @param notes    what was deliberately not done this round, and why
 * @param failures what the policy asked for and could not be done
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"time", "policy", "mode", "findings", "sysctls", "actions", "notes", "failures", "problems"})
public record RoundReport(
        String time,
        String policy,
        String mode,
        List<Finding> findings,
        List<SysctlStatus> sysctls,
        List<RemediationAction> actions,
        List<String> notes,
        List<String> failures,
        List<String> problems) {

    /** The report of a round: the same findings, sysctls and actions its sinks were given. */
    public static RoundReport of(Round round) {
        return new RoundReport(
                round.scan().time().toString(),
                round.policy().name(),
                round.policy().mode().name(),
                round.findings(),
                round.remedy().sysctls(),
                round.remedy().actions(),
                round.remedy().notes(),
                round.remedy().failures(),
                round.scan().problems());
    }
}
