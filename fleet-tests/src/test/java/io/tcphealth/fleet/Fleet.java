package io.tcphealth.fleet;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tcphealth.agent.cluster.ClusterMode;
import io.tcphealth.agent.cluster.ClusterWiring;
import io.tcphealth.agent.cluster.ObserveOnly;
import io.tcphealth.agent.cluster.Snapshot;
import io.tcphealth.agent.cluster.TokenBucket;
import io.tcphealth.agent.loop.AgentLoop;
import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.operator.TcpHealthOperator;
import io.tcphealth.operator.config.OperatorOptions;
import io.tcphealth.operator.metrics.OperatorMetrics;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/**
 * A simulated cluster: one fabric8 mock API server in CRUD mode, the real operator, and node agents that are
 * real cluster agents ({@link AgentLoop}s) with their own clients, each fed prepared scans instead of its kernel. A scan
 * "interval" is one tick of {@link #TICK}: the agents run their rounds that often, so minutes of fleet life
 * pass in seconds (the agents' heartbeat still runs on the real clock, and is tested on a manual one).
 */
final class Fleet implements AutoCloseable {
    static final String NAMESPACE = "tcphealth-system";
    static final Duration TICK = Duration.ofMillis(250);

    final FleetDispatcher dispatcher = new FleetDispatcher();
    final KubernetesMockServer server;
    final KubernetesClient admin;
    private final TcpHealthOperator operator;
    /** The operator's metrics, for tests that scrape them. */
    final OperatorMetrics operatorMetrics = new OperatorMetrics();

    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "fleet-ticker");
        t.setDaemon(true);
        return t;
    });
    final List<String> agentLog = new CopyOnWriteArrayList<>();

    /** One node's agent and what its fake scanner hands it. */
    final class Agent implements AutoCloseable {
        final String node;
        final AtomicReference<NodeScan> scan = new AtomicReference<>(Snapshot.quiet());
        final KubernetesClient client;
        final ClusterWiring wiring;
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final ScanMetrics metrics = new ScanMetrics(registry);

        Agent(String node, Clock clock, TokenBucket bucket) {
            this.node = node;
            this.client = ClusterMode.client(new ConfigBuilder(Config.empty())
                    .withMasterUrl(admin.getConfiguration().getMasterUrl())
                    .withTrustCerts(true)
                    .withNamespace(null)
                    .withUserAgent(userAgent(node))
                    .build());
            this.wiring = new ClusterWiring(
                    client,
                    node,
                    (scope, ports) -> scan.get(),
                    new ObserveOnly(),
                    Duration.ofMinutes(5),
                    "default",
                    metrics,
                    clock,
                    m -> agentLog.add(node + ": " + m),
                    bucket,
                    Duration.ofMillis(200),
                    Duration.ofSeconds(2));
        }

        AgentLoop agent() {
            return wiring.agent();
        }

        TcpHealthNode object() {
            return admin.resources(TcpHealthNode.class).withName(node).get();
        }

        long writes() {
            return dispatcher.writes(userAgent(node));
        }

        @Override
        public void close() {
            wiring.close();
            client.close();
        }
    }

    Fleet(String... operatorFlags) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        admin = server.createClient();
        installCrd("META-INF/fabric8/tcphealthpolicies.tcphealth.io-v1.yml");
        installCrd("META-INF/fabric8/tcphealthnodes.tcphealth.io-v1.yml");
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .create();
        List<String> args = new ArrayList<>(List.of(
                "--namespace",
                NAMESPACE,
                "--agent-image",
                "registry.example/tcphealth:test",
                "--status-min-interval",
                "1s",
                "--agent-heartbeat",
                "5m",
                "--stale-grace",
                "30s",
                "--restore-timeout",
                "60s",
                "--leader-election",
                "false"));
        args.addAll(List.of(operatorFlags));
        OperatorOptions options = new OperatorOptions();
        new CommandLine(options).setOverwrittenOptionsAllowed(true).parseArgs(args.toArray(String[]::new));
        operator = new TcpHealthOperator(admin, options.toSettings(), operatorMetrics, Clock.systemUTC(), false);
        operator.start();
    }

    static String userAgent(String node) {
        return "tcphealth-agent/" + node;
    }

    private void installCrd(String resource) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            admin.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(admin.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                    .create();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void node(String name, Map<String, String> labels) {
        admin.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create();
    }

    /** A pod on {@code node} with one container; returns the UID the API server gave it. */
    String pod(String namespace, String name, String node, String container, String containerId) {
        if (admin.namespaces().withName(namespace).get() == null) {
            admin.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .endMetadata()
                            .build())
                    .create();
        }
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName(container)
                .withImage("app:1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .addNewContainerStatus()
                .withName(container)
                .withContainerID("containerd://" + containerId)
                .endContainerStatus()
                .endStatus()
                .build();
        return admin.pods()
                .inNamespace(namespace)
                .resource(pod)
                .create()
                .getMetadata()
                .getUid();
    }

    /** Starts an agent whose rounds the fleet's ticker runs, every {@link #TICK}. */
    Agent agent(String node) {
        Agent agent = new Agent(
                node, Clock.systemUTC(), new TokenBucket(ClusterWiring.QPS, ClusterWiring.BURST, System::nanoTime));
        agents.put(node, agent);
        ticker.scheduleWithFixedDelay(
                () -> {
                    try {
                        agent.agent().runOnce();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        agentLog.add(node + ": round threw " + e);
                    }
                },
                0,
                TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        return agent;
    }

    /** An agent whose rounds the test runs itself, on its own clock. */
    Agent manualAgent(String node, Clock clock, TokenBucket bucket) {
        Agent agent = new Agent(node, clock, bucket);
        agents.put(node, agent);
        return agent;
    }

    Agent agentOf(String node) {
        return agents.get(node);
    }

    TcpHealthPolicy policy(String name) {
        return admin.resources(TcpHealthPolicy.class).withName(name).get();
    }

    @Override
    public void close() {
        agentLog.forEach(l -> System.out.println("agent " + l));
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agents.values().forEach(Agent::close);
        try {
            operator.close();
        } finally {
            admin.close();
            server.destroy();
        }
    }
}
