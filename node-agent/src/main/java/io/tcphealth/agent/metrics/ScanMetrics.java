package io.tcphealth.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster agent's metrics, per scan: sockets by state and kind of network namespace (the host's, or a
 * pod's), orphans against {@code tcp_max_orphans}, zombies, findings by type and severity, scan duration,
 * remediation actions, and the agent's own API writes by outcome. Every label set is fixed up front or
 * bounded by enums, so the series count cannot grow with what a node holds.
 */
public final class ScanMetrics implements ApiCalls {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> sockets = new HashMap<>();
    private final Map<String, AtomicLong> findings = new HashMap<>();
    private final Map<Severity, AtomicLong> bySeverity = new EnumMap<>(Severity.class);
    private final AtomicLong orphans = new AtomicLong();
    private final AtomicLong maxOrphans = new AtomicLong();
    private final AtomicLong zombies = new AtomicLong();
    private final AtomicLong namespaces = new AtomicLong();
    private final Timer scanDuration;
    private final Counter scans;
    private final Counter scanFailures;
    private final Counter rounds;
    private final Counter roundFailures;
    private final NamespaceCounterMetrics counters;

    public ScanMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (TcpState state : TcpState.values()) {
            for (String kind : List.of("host", "pod")) {
                AtomicLong v = new AtomicLong();
                sockets.put(state.name() + "/" + kind, v);
                Gauge.builder("tcphealth_sockets", v, AtomicLong::get)
                        .description("TCP sockets in the last scan by state and kind of network namespace")
                        .tag("state", MetricLabels.of(state))
                        .tag("namespace_kind", kind)
                        .register(registry);
            }
        }
        for (FindingType type : FindingType.values()) {
            for (Severity severity : Severity.values()) {
                AtomicLong v = new AtomicLong();
                findings.put(type.name() + "/" + severity.name(), v);
                Gauge.builder("tcphealth_findings_by_type", v, AtomicLong::get)
                        .description("Findings of the last scan by type and severity")
                        .tag("type", MetricLabels.of(type.name()))
                        .tag("severity", MetricLabels.of(severity.name()))
                        .register(registry);
            }
        }
        for (Severity severity : Severity.values()) {
            AtomicLong v = new AtomicLong();
            bySeverity.put(severity, v);
            Gauge.builder("tcphealth_findings", v, AtomicLong::get)
                    .description("Findings of the last scan by severity")
                    .tag("severity", MetricLabels.of(severity))
                    .register(registry);
        }
        RemediationOutcomes.register(registry);
        Gauge.builder("tcphealth_orphans", orphans, AtomicLong::get)
                .description("Orphaned TCP sockets on the node (/proc/net/sockstat)")
                .register(registry);
        Gauge.builder("tcphealth_tcp_max_orphans", maxOrphans, AtomicLong::get)
                .description("net.ipv4.tcp_max_orphans")
                .register(registry);
        Gauge.builder("tcphealth_zombies", zombies, AtomicLong::get)
                .description("Zombie processes on the node")
                .register(registry);
        Gauge.builder("tcphealth_network_namespaces", namespaces, AtomicLong::get)
                .description("Network namespaces in the last scan")
                .register(registry);
        scanDuration = Timer.builder("tcphealth_scan_duration")
                .description("Time one scan took")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        scans = Counter.builder("tcphealth_scans")
                .description("Scans completed")
                .register(registry);
        scanFailures = Counter.builder("tcphealth_scan_failures")
                .description("Scans that failed")
                .register(registry);
        counters = new NamespaceCounterMetrics(registry);
        rounds = Counter.builder("tcphealth_rounds")
                .description("Scan-and-remediate rounds completed")
                .register(registry);
        roundFailures = Counter.builder("tcphealth_round_failures")
                .description("Rounds in which something the policy asked for could not be done")
                .register(registry);
    }

    /** A round ended; {@code failed} when something the policy asked for could not be done. */
    public void round(boolean failed) {
        rounds.increment();
        if (failed) {
            roundFailures.increment();
        }
    }

    public void scanned(NodeScan scan, List<Finding> found) {
        scans.increment();
        scanDuration.record(Duration.ofMillis(scan.durationMillis()));
        Map<String, Long> counts = new HashMap<>();
        for (NamespaceScan ns : scan.namespaces()) {
            String kind = ns.namespace().host() ? "host" : "pod";
            for (TcpSocket s : ns.sockets()) {
                counts.merge(s.state().name() + "/" + kind, 1L, Long::sum);
            }
        }
        sockets.forEach((k, v) -> v.set(counts.getOrDefault(k, 0L)));
        Map<String, Long> byType = new HashMap<>();
        for (Finding f : found) {
            byType.merge(f.type().name() + "/" + f.severity().name(), 1L, Long::sum);
        }
        findings.forEach((k, v) -> v.set(byType.getOrDefault(k, 0L)));
        bySeverity.forEach(
                (s, v) -> v.set(found.stream().filter(f -> f.severity() == s).count()));
        namespaces.set(scan.namespaces().size());
        scan.host().ifPresent(h -> {
            if (h.sockStat() != null) {
                orphans.set(h.sockStat().orphans());
            }
            if (h.sysctls() != null) {
                maxOrphans.set(h.sysctls().maxOrphans());
            }
        });
        zombies.set(
                scan.processes().values().stream().filter(ProcessInfo::isZombie).count());
        counters.scanned(scan);
    }

    public void scanFailed() {
        scanFailures.increment();
    }

    public void actions(List<RemediationAction> actions) {
        for (RemediationAction a : actions) {
            RemediationOutcomes.counter(registry, a.getKind(), a.getResult()).increment();
        }
    }

    @Override
    public void succeeded(String what) {
        api(what, "ok");
    }

    @Override
    public void failed(String what) {
        api(what, "failed");
    }

    @Override
    public void deferred(String what) {
        api(what, "deferred");
    }

    private void api(String what, String result) {
        Counter.builder("tcphealth_api_writes")
                .description("API writes by the agent: status and events, by result")
                .tag("object", what.toLowerCase(Locale.ROOT))
                .tag("result", result)
                .register(registry)
                .increment();
    }

    /** For tests and the endpoint: the current value of a counter, 0 when never incremented. */
    public double apiWrites(String what, String result) {
        Counter c = registry.find("tcphealth_api_writes")
                .tag("object", what)
                .tag("result", result)
                .counter();
        return c == null ? 0 : c.count();
    }
}
