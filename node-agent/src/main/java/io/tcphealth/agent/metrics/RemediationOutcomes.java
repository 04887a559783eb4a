package io.tcphealth.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcphealth.api.v1alpha1.ActionKind;
import io.tcphealth.api.v1alpha1.ActionResult;

/**
 * {@code tcphealth_remediation_actions_total{kind, result}}, registered at 0 for every kind and result
 * from the first scrape: {@code increase()} and {@code rate()} see a counter only from its second
 * sample, so one that appeared with its first failure would hide that failure from an alert.
 */
final class RemediationOutcomes {
    private RemediationOutcomes() {}

    static void register(MeterRegistry registry) {
        for (ActionKind kind : ActionKind.values()) {
            for (ActionResult result : ActionResult.values()) {
                counter(registry, kind, result);
            }
        }
    }

    static Counter counter(MeterRegistry registry, ActionKind kind, ActionResult result) {
        return Counter.builder("tcphealth_remediation_actions")
                .description("Remediation actions by kind and result")
                .tag("kind", MetricLabels.of(kind))
                .tag("result", MetricLabels.of(result))
                .register(registry);
    }
}
