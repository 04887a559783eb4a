package io.tcphealth.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * {@code tcphealth_remediation_actions_total{kind, result}}, registered at 0 for every kind and result
 * from the first scrape: {@code increase()} and {@code rate()} see a counter only from its second
 * sample, so one that appeared with its first failure would hide that failure from an alert.
 */
final class RemediationOutcomes {
    static final List<String> KINDS = List.of("SetSysctl", "RestoreSysctl", "KillSocket", "FlushOrphans", "SignalParent");
    static final List<String> RESULTS = List.of("Done", "DryRun", "Failed", "Skipped");

    private RemediationOutcomes() {
    }

    static void register(MeterRegistry registry) {
        for (String kind : KINDS) {
            for (String result : RESULTS) {
                counter(registry, kind, result);
            }
        }
    }

    static Counter counter(MeterRegistry registry, String kind, String result) {
        return Counter.builder("tcphealth_remediation_actions").description("Remediation actions by kind and result")
                .tag("kind", MetricLabels.of(kind)).tag("result", MetricLabels.of(result)).register(registry);
    }
}
