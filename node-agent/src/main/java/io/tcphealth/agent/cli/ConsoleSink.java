package io.tcphealth.agent.cli;

import io.tcphealth.agent.loop.Round;
import io.tcphealth.agent.loop.RoundReport;
import io.tcphealth.agent.loop.RoundSink;
import io.tcphealth.agent.nativeio.ErrorText;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.remediation.EventLog;
import java.io.PrintWriter;
import java.util.Set;

/**
 * Where {@code tcphealth run --policy} puts a round: its report on standard output (per {@code --report}), one
 * summary line and what was not done on standard error.
 */
final class ConsoleSink implements RoundSink {
    private final PrintWriter out;
    private final RoundFormat format;
    private final RunCommand.ReportWhen when;
    private final RepeatedLines repeats;
    private final EventLog log;
    private Set<String> lastFindings;

    /** @param repeats the log's writer: each round ends the window in which a line is not said again */
    ConsoleSink(PrintWriter out, RoundFormat format, RunCommand.ReportWhen when, RepeatedLines repeats, EventLog log) {
        this.out = out;
        this.format = format;
        this.when = when;
        this.repeats = repeats;
        this.log = log;
    }

    @Override
    public void roundDone(Round round) {
        RoundReport report = RoundReport.of(round);
        Set<String> findings = RoundSummary.findingKeys(report);
        if (when == RunCommand.ReportWhen.always
                || when == RunCommand.ReportWhen.changes && !findings.equals(lastFindings)) {
            out.print(format.render(report));
            out.flush();
            lastFindings = findings;
        }
        log.info(RoundSummary.of(report));
        report.notes().forEach(n -> log.info("Not done: " + n));
        repeats.nextRound();
    }

    @Override
    public void roundFailed(AgentPolicy policy, Exception cause) {
        log.info("Round failed: " + ErrorText.of(cause));
        repeats.nextRound();
    }
}
