package io.tcphealth.agent.loop;

import io.tcphealth.agent.diagnosis.Diagnoser;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.RemediationMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * One round of the agent, the same on a plain host and in a cluster: scan, age the sockets, diagnose, remediate
 * per the policy's mode. The round's findings are the diagnosis's plus remediation's own, put together here once.
 */
public final class AgentRound {
    private final ScanSource scanner;
    private final SocketAges ages;
    private final RoundRemediator remediator;
    private final Diagnoser diagnoser = new Diagnoser();

    /** @param ages what was observed of each socket across rounds (kept beside the journal where there is one) */
    public AgentRound(ScanSource scanner, SocketAges ages, RoundRemediator remediator) {
        this.scanner = scanner;
        this.ages = ages;
        this.remediator = remediator;
    }

    /** @param remediate false: scan and diagnose only, change nothing */
    public Round run(AgentPolicy policy, boolean remediate) throws IOException, InterruptedException {
        NodeScan scan = scanner.scan(
                policy.scope(),
                new HashSet<>(policy.ports()),
                policy.thresholds().connections().idleWithoutKeepaliveAfter());
        ages.observe(scan);
        List<Finding> diagnosed = diagnoser.diagnose(scan, ages, policy.diagnosisSettings());
        RoundRemedy remedy =
                remediate ? remediator.act(policy, scan, ages, List.copyOf(diagnosed)) : RoundRemedy.nothing();
        List<Finding> findings = new ArrayList<>(diagnosed);
        findings.addAll(remedy.findings());
        findings.sort(Finding.MOST_SEVERE_FIRST);
        return new Round(policy, scan, findings, remedy);
    }

    /** Plans without acting: what {@code DryRun} and {@code diagnose --plan} show. */
    public Round plan(AgentPolicy policy) throws IOException, InterruptedException {
        return run(policy.withMode(RemediationMode.DryRun), true);
    }
}
