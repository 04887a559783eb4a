package io.tcphealth.agent.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.agent.report.NodeReport;
import io.tcphealth.agent.report.ReportBuilder;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.ConditionReasons;
import io.tcphealth.api.v1alpha1.ConditionTypes;
import io.tcphealth.api.v1alpha1.NodeFinding;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.Severity;
import io.tcphealth.api.v1alpha1.SysctlStatus;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A TcpHealthNode status as a pure function of one round: the scan's report, the findings (with their pods),
 * what remediation did, the policies held and the spec generation acted on. Every list is capped; findings
 * left out are counted. Field names are the report's, so the report and the status are one schema.
 */
public final class StatusBuilder {
    /** Kept for a round with nothing to say: the operator's Healthy column reads this. */
    static final String HEALTHY = ConditionTypes.HEALTHY;

    static final String SYSCTLS_APPLIED = ConditionTypes.SYSCTLS_APPLIED;
    static final String REMEDIATING = ConditionTypes.REMEDIATING;
    static final String AGENT_READY = ConditionTypes.AGENT_READY;
    /** Longest message or next step kept in the status; the full text is in the Events and in {@code diagnose}. */
    static final int MAX_TEXT = 512;
    /**
     * The most bytes one status may take. The per-list caps alone allow about 150 KiB (50 findings with two
     * 1 KiB texts, 20 actions, 64 sysctls); the least severe findings go first until the status fits, and are
     * counted in findingsTruncated.
     */
    public static final int MAX_BYTES = 64 * 1024;

    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ReportBuilder reports = new ReportBuilder(TcpHealthNodeStatus.MAX_FINDINGS);

    /**
     * @param node              the node's name
     * @param findings          every finding of the round, pods already attached, most severe first
     * @param recentActions     remediation actions of recent rounds, newest first
     * @param appliedPolicies   policies whose changes the agent holds or whose spec it acts on
     * @param specGeneration    metadata.generation of the TcpHealthNode spec the round acted on (a refused
     *                          spec is not acted on, so its generation is not reported as observed)
     * @param specProblem       why the current spec was refused, or null
     * @param previous          the status last written, for the conditions' transition times; null at first
     */
    public record Input(
            String node,
            NodeScan scan,
            List<Finding> findings,
            RoundRemedy remedy,
            List<RemediationAction> recentActions,
            List<String> appliedPolicies,
            Long specGeneration,
            String specProblem,
            TcpHealthNodeStatus previous,
            Instant now) {}

    public TcpHealthNodeStatus build(Input in) {
        NodeReport report = reports.build(in.node(), in.scan(), in.findings());
        TcpHealthNodeStatus status = json.convertValue(
                new NodeReport(
                        null,
                        report.lastScan(),
                        report.states(),
                        report.orphans(),
                        report.zombies(),
                        report.findings(),
                        report.findingsTruncated(),
                        report.sysctls(),
                        null,
                        null),
                TcpHealthNodeStatus.class);
        if (!in.remedy().sysctls().isEmpty()) {
            status.setSysctls(in.remedy().sysctls());
        }
        List<SysctlStatus> sysctls = status.getSysctls() == null ? List.of() : status.getSysctls();
        status.setSysctls(cap(sysctls, TcpHealthNodeStatus.MAX_SYSCTLS));
        status.setSysctlsTruncated(sysctls.size() - status.getSysctls().size());
        List<RemediationAction> actions = in.recentActions() == null ? List.of() : in.recentActions();
        status.setActions(cap(actions, TcpHealthNodeStatus.MAX_ACTIONS));
        status.setActionsTruncated(actions.size() - status.getActions().size());
        status.setAppliedPolicies(cap(List.copyOf(new TreeSet<>(in.appliedPolicies())), 64));
        status.setPodNamespaceChanges(in.remedy().podNamespaceChanges());
        status.setObservedSpecGeneration(in.specGeneration());
        CounterStatus.apply(status, in.scan());
        status.setConditions(conditions(in, status));
        shorten(status);
        fit(status);
        return status;
    }

    private static void shorten(TcpHealthNodeStatus status) {
        for (NodeFinding f : status.getFindings()) {
            f.setMessage(shorten(f.getMessage()));
            f.setNextStep(shorten(f.getNextStep()));
        }
        List<RemediationAction> actions = new ArrayList<>();
        for (RemediationAction a : status.getActions()) {
            RemediationAction copy = new RemediationAction();
            copy.setTime(a.getTime());
            copy.setKind(a.getKind());
            copy.setTarget(a.getTarget());
            copy.setResult(a.getResult());
            copy.setMessage(shorten(a.getMessage()));
            actions.add(copy);
        }
        status.setActions(actions);
    }

    private static String shorten(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
    }

    private void fit(TcpHealthNodeStatus status) {
        try {
            while (json.writeValueAsBytes(status).length > MAX_BYTES
                    && !status.getFindings().isEmpty()) {
                status.getFindings().removeLast();
                status.setFindingsTruncated(status.getFindingsTruncated() + 1);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A TcpHealthNode status cannot be serialized", e);
        }
    }

    private List<Condition> conditions(Input in, TcpHealthNodeStatus status) {
        Severity worst = in.findings().stream()
                .map(Finding::severity)
                .max(Severity::compareTo)
                .orElse(null);
        boolean healthy = worst == null || worst == Severity.Info;
        long problems = in.findings().stream()
                .filter(f -> f.severity() != Severity.Info)
                .count();
        List<Condition> out = new ArrayList<>();
        out.add(condition(
                in,
                HEALTHY,
                healthy,
                healthy
                        ? ConditionReasons.NO_PROBLEMS
                        : worst == Severity.Critical
                                ? ConditionReasons.CRITICAL_FINDINGS
                                : ConditionReasons.WARNING_FINDINGS,
                healthy
                        ? "No Warning or Critical findings"
                        : problems + (problems == 1 ? " finding" : " findings") + " at Warning or above; the worst: "
                                + in.findings().getFirst().message()));
        List<SysctlStatus> desired =
                status.getSysctls().stream().filter(s -> s.getDesired() != null).toList();
        if (!desired.isEmpty()) {
            long off = desired.stream()
                    .filter(s -> !Objects.equals(s.getObserved(), s.getDesired()))
                    .count();
            out.add(condition(
                    in,
                    SYSCTLS_APPLIED,
                    off == 0,
                    off == 0 ? ConditionReasons.IN_FORCE : ConditionReasons.NOT_APPLIED,
                    off == 0
                            ? "Every desired sysctl holds its value"
                            : off + " of " + desired.size() + " desired sysctl values do not hold"));
        }
        long done = in.remedy().actions().stream()
                .filter(a -> a.getResult() == ActionResult.Done)
                .count();
        out.add(condition(
                in,
                REMEDIATING,
                done > 0,
                done > 0 ? ConditionReasons.ACTIONS_TAKEN : ConditionReasons.IDLE,
                done > 0
                        ? done + " remediation action" + (done == 1 ? "" : "s") + " done in the last scan"
                        : "No remediation action in the last scan"));
        out.add(
                in.specProblem() == null
                        ? condition(in, AGENT_READY, true, ConditionReasons.SCANNING, "The agent scans and reports")
                        : condition(
                                in,
                                AGENT_READY,
                                false,
                                ConditionReasons.SPEC_REFUSED,
                                "The agent keeps acting on the previous spec; the current one is refused: "
                                        + in.specProblem()));
        return out;
    }

    private static Condition condition(Input in, String type, boolean ok, String reason, String message) {
        String status = ok ? "True" : "False";
        String since = in.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (in.previous() != null && in.previous().getConditions() != null) {
            for (Condition c : in.previous().getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    since = c.getLastTransitionTime();
                }
            }
        }
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message)
                .withObservedGeneration(in.specGeneration())
                .withLastTransitionTime(since)
                .build();
    }

    private static <T> List<T> cap(List<T> list, int max) {
        if (list == null) {
            return new ArrayList<>();
        }
        return new ArrayList<>(list.size() > max ? list.subList(0, max) : list);
    }
}
