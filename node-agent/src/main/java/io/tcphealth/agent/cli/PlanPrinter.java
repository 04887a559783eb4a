package io.tcphealth.agent.cli;

import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.loop.AgentRound;
import io.tcphealth.agent.loop.RoundReport;
import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.remediation.PauseHook;
import io.tcphealth.agent.report.ReportFormat;
import io.tcphealth.api.v1alpha1.RemediationAction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/** {@code diagnose --plan --policy FILE}: the actions the policy would take now, changing nothing. */
final class PlanPrinter {
    private PlanPrinter() {}

    /**
     * Plans once, or every {@code watch} interval until {@code count} plans were printed (null: until interrupted
     * or until the output is closed).
     */
    static int print(
            AgentPolicy policy,
            AgentParts parts,
            Path journalDir,
            ReportFormat format,
            Duration watch,
            Integer count,
            PrintWriter out,
            PrintWriter err)
            throws InterruptedException {
        Journal journal = null;
        try {
            if (journalDir != null) {
                journal = Journal.readOnly(journalDir, parts.clock);
            }
            AgentRound round =
                    parts.round(journal, parts.remediation(journal, parts.remediator(journal, PauseHook.NONE)));
            for (int plans = 1; ; plans++) {
                RoundReport report = RoundReport.of(round.plan(policy));
                out.print(
                        switch (format) {
                            case json -> RoundFormat.json.render(report);
                            case yaml -> RoundFormat.yaml.render(report);
                            default -> text(report);
                        });
                if (out.checkError() || watch == null || (count != null && plans >= count)) {
                    return 0;
                }
                Thread.sleep(watch.toMillis());
            }
        } catch (IOException e) {
            err.println("tcphealth: " + ErrorText.of(e));
            return TcpHealthCli.EXIT_USAGE;
        }
    }

    static String text(RoundReport r) {
        StringBuilder b = new StringBuilder();
        b.append("Plan of policy ")
                .append(r.policy())
                .append(" at ")
                .append(r.time())
                .append(" (nothing is changed):\n");
        if (r.actions().isEmpty()) {
            b.append("  nothing to do\n");
        }
        for (RemediationAction a : r.actions()) {
            b.append("  ").append(a.getMessage()).append('\n');
        }
        if (r.notes() != null && !r.notes().isEmpty()) {
            b.append("Not planned:\n");
            r.notes().forEach(n -> b.append("  ").append(n).append('\n'));
        }
        return b.toString();
    }
}
