package io.tcphealth.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.Severity;
import io.tcphealth.agent.remediation.RoundReport;
import io.tcphealth.api.v1alpha1.RemediationAction;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The agent's metrics in Prometheus' text format: rounds, findings by severity, remediation actions. */
public final class AgentMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter rounds;
    private final Counter roundFailures;
    private final Map<Severity, AtomicLong> findings = new EnumMap<>(Severity.class);

    public AgentMetrics() {
        rounds = Counter.builder("tcphealth_rounds").description("Scan-and-remediate rounds completed").register(registry);
        roundFailures = Counter.builder("tcphealth_round_failures")
                .description("Rounds in which something the policy asked for could not be done").register(registry);
        for (Severity s : Severity.values()) {
            AtomicLong value = new AtomicLong();
            findings.put(s, value);
            Gauge.builder("tcphealth_findings", value, AtomicLong::get).description("Findings of the last round")
                    .tag("severity", MetricLabels.of(s.name())).register(registry);
        }
        RemediationOutcomes.register(registry);
    }

    public void record(RoundReport report) {
        rounds.increment();
        if (report.failures() != null && !report.failures().isEmpty()) {
            roundFailures.increment();
        }
        Map<Severity, Long> counts = new EnumMap<>(Severity.class);
        for (Finding f : report.findings()) {
            counts.merge(f.severity(), 1L, Long::sum);
        }
        findings.forEach((s, v) -> v.set(counts.getOrDefault(s, 0L)));
        for (RemediationAction a : report.actions()) {
            RemediationOutcomes.counter(registry, a.getKind(), a.getResult()).increment();
        }
    }

    public String scrape() {
        return registry.scrape();
    }
}
