package io.tcphealth.agent.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcphealth.agent.loop.RoundRemediator;
import io.tcphealth.agent.loop.ScanSource;
import io.tcphealth.agent.metrics.AgentEndpoints;
import io.tcphealth.agent.metrics.ScanMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code tcphealth run} inside the agent's pod: in-cluster credentials, the node from the downward API, the
 * metrics and probe port, and the loop until SIGTERM. On SIGTERM the loop abandons the scan in progress, the
 * remediation step undoes transient changes, and the process exits within {@link #STOP_GRACE} (below the pod's
 * default 30 s termination grace period).
 */
public final class ClusterMode {
    static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** The client's own retries would hold the loop for minutes during an outage; the publisher backs off instead. */
    static final int REQUEST_TIMEOUT_MILLIS = 10_000;

    private final ClusterSettings settings;
    private final Consumer<String> log;

    public ClusterMode(ClusterSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /** A client for the agent: whatever credentials are found (in a pod: the service account), no retries. */
    public static KubernetesClient client(Config base) {
        Config config = new ConfigBuilder(base)
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
                .withConnectionTimeout(5_000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Runs until the JVM is asked to stop; returns the exit status. */
    public int run(ScanSource scanner, RoundRemediator remediator) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScanMetrics metrics = new ScanMetrics(registry);
        try (KubernetesClient client = client(Config.autoConfigure(null));
                ClusterWiring wiring = new ClusterWiring(
                        client,
                        settings.node(),
                        scanner,
                        remediator,
                        settings.heartbeat(),
                        settings.eventNamespace(),
                        metrics,
                        Clock.systemUTC(),
                        log,
                        settings.journalDir());
                AgentEndpoints endpoints =
                        new AgentEndpoints(new InetSocketAddress(settings.metricsPort()), registry, wiring.probes())) {
            log.accept("Agent for node " + settings.node() + " started: API " + client.getMasterUrl() + ", proc root "
                    + settings.procRoot() + ", metrics and probes on port " + endpoints.port());
            Thread stopper = new Thread(
                    () -> {
                        try {
                            if (!wiring.agent().stop(STOP_GRACE)) {
                                log.accept("The agent on node " + settings.node() + " did not stop within "
                                        + STOP_GRACE.toSeconds() + "s");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "tcphealth-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            wiring.agent().run();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now and waits for the loop, which has finished
            }
            return 0;
        }
    }
}
