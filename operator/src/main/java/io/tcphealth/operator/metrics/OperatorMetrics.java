package io.tcphealth.operator.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's Micrometer metrics, fed by JOSDK (reconciles, errors, durations) and by the reconciler
 * (nodes by health). Scraped in Prometheus text format.
 */
public final class OperatorMetrics implements Metrics {

    /** Health classes of a node, as counted in {@code tcphealth_operator_nodes}. */
    public enum NodeHealth {
        healthy,
        unhealthy,
        stale,
        unknown
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<NodeHealth, AtomicLong> nodes = new ConcurrentHashMap<>();

    public OperatorMetrics() {
        // Present from the first scrape, so a rate() over it works before anything failed.
        errors("TcpHealthPolicy");
        for (NodeHealth health : NodeHealth.values()) {
            AtomicLong value = new AtomicLong();
            nodes.put(health, value);
            Gauge.builder("tcphealth_operator_nodes", value, AtomicLong::get)
                    .description("TcpHealthNodes by the health their agent last reported")
                    .tag("health", health.name())
                    .register(registry);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Replaces the node counts with a fresh census. */
    public void nodes(Map<NodeHealth, Long> census) {
        for (NodeHealth health : NodeHealth.values()) {
            nodes.get(health).set(census.getOrDefault(health, 0L));
        }
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        Counter.builder("tcphealth_operator_reconciles")
                .description("Reconciles started, retries included")
                .tag("kind", resource.getKind() == null ? "unknown" : resource.getKind())
                .register(registry)
                .increment();
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        errors(resource.getKind() == null ? "unknown" : resource.getKind()).increment();
    }

    private Counter errors(String kind) {
        return Counter.builder("tcphealth_operator_reconcile_errors")
                .description("Reconciles that ended in an exception (JOSDK retries them)")
                .tag("kind", kind)
                .register(registry);
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "failure";
        try {
            T result = execution.execute();
            outcome = execution.successTypeName(result);
            return result;
        } finally {
            sample.stop(Timer.builder("tcphealth_operator_reconcile_duration")
                    .description("Time spent in reconcile and cleanup")
                    .tag("controller", execution.controllerName())
                    .tag("phase", execution.name())
                    .tag("outcome", outcome)
                    .register(registry));
        }
    }
}
