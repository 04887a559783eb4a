package io.tcphealth.agent.cli;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.loop.RoundReport;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.Severity;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** One log line per round: what was found and what was done. */
final class RoundSummary {
    private RoundSummary() {}

    /** What tells one round's findings from another's: type, severity, namespace, port and process, not counts. */
    static Set<String> findingKeys(RoundReport r) {
        List<Finding> findings = r.findings() == null ? List.of() : r.findings();
        Set<String> keys = new TreeSet<>();
        for (Finding f : findings) {
            keys.add(f.type() + " " + f.severity() + " " + f.netns() + " " + f.port() + " " + f.pid());
        }
        return keys;
    }

    static String of(RoundReport r) {
        List<Finding> findings = r.findings() == null ? List.of() : r.findings();
        long critical =
                findings.stream().filter(f -> f.severity() == Severity.Critical).count();
        long warning =
                findings.stream().filter(f -> f.severity() == Severity.Warning).count();
        String worst = findings.stream()
                .filter(f -> f.severity().atLeast(Severity.Warning))
                .limit(3)
                .map(f -> f.type()
                        + (f.port() == null ? "" : " on port " + f.port())
                        + (f.pid() == null ? "" : " (pid " + f.pid() + ")"))
                .collect(Collectors.joining(", "));
        List<RemediationAction> actions = r.actions() == null ? List.of() : r.actions();
        String done = actions.stream()
                .collect(Collectors.groupingBy(a -> a.getKind() + " " + a.getResult(), Collectors.counting()))
                .entrySet()
                .stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return "Round of policy " + r.policy() + " (" + r.mode() + "): " + critical + " critical and " + warning
                + " warning findings"
                + (worst.isEmpty() ? "" : " (" + worst + ")") + "; actions: " + (done.isEmpty() ? "none" : done)
                + (r.failures() == null || r.failures().isEmpty()
                        ? ""
                        : "; " + r.failures().size() + " failed");
    }
}
