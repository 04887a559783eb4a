package io.tcphealth.operator.reconcile;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import io.tcphealth.operator.TcpHealthOperator;
import io.tcphealth.operator.agent.AgentDaemonSet;
import io.tcphealth.operator.config.OperatorOptions;
import io.tcphealth.operator.config.OperatorSettings;
import io.tcphealth.operator.metrics.OperatorMetrics;
import java.io.InputStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * A fabric8 mock API server in CRUD mode with the tcphealth CRDs, and the real operator running against it.
 * Writes that belong to the agent (TcpHealthNode status) are done by the test, the way an agent would.
 */
final class MockCluster implements AutoCloseable {

    static final String NAMESPACE = "tcphealth-system";

    final KubernetesMockServer server;
    final KubernetesClient client;
    final OperatorMetrics metrics = new OperatorMetrics();
    private final TcpHealthOperator operator;

    /** Starts a cluster and an operator configured by these extra flags (on top of the test defaults). */
    MockCluster(String... flags) {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new RulesGrantingDispatcher(), false);
        server.init();
        client = server.createClient();
        installCrd("META-INF/fabric8/tcphealthpolicies.tcphealth.io-v1.yml");
        installCrd("META-INF/fabric8/tcphealthnodes.tcphealth.io-v1.yml");
        client.namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .create();
        operator = new TcpHealthOperator(client, settings(flags), metrics, Clock.systemUTC(), false);
        operator.start();
    }

    static OperatorSettings settings(String... flags) {
        OperatorOptions options = new OperatorOptions();
        List<String> args = new java.util.ArrayList<>(List.of(
                "--namespace", NAMESPACE,
                "--agent-image", "registry.example/tcphealth-agent:test",
                "--status-min-interval", "1s",
                "--agent-heartbeat", "10s",
                "--stale-grace", "5s",
                "--restore-timeout", "30s",
                "--leader-election", "true"));
        args.addAll(List.of(flags));
        new CommandLine(options).setOverwrittenOptionsAllowed(true).parseArgs(args.toArray(String[]::new));
        return options.toSettings();
    }

    private void installCrd(String resource) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("CRD " + resource + " missing from the crds jar");
            }
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                    .create();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Node node(String name, Map<String, String> labels) {
        return client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create();
    }

    void relabel(String name, Map<String, String> labels) {
        client.nodes().withName(name).edit(n -> {
            n.getMetadata().setLabels(new HashMap<>(labels));
            return n;
        });
    }

    TcpHealthPolicy policy(String name, Consumer<TcpHealthPolicySpec> spec) {
        TcpHealthPolicy policy = new TcpHealthPolicy();
        policy.getMetadata().setName(name);
        spec.accept(policy.getSpec());
        return client.resource(policy).create();
    }

    static void selectPool(TcpHealthPolicySpec spec, String pool) {
        spec.setNodeSelector(
                new LabelSelectorBuilder().addToMatchLabels("pool", pool).build());
    }

    TcpHealthPolicy getPolicy(String name) {
        return client.resources(TcpHealthPolicy.class).withName(name).get();
    }

    TcpHealthNode getNode(String name) {
        return client.resources(TcpHealthNode.class).withName(name).get();
    }

    List<TcpHealthNode> nodes() {
        return client.resources(TcpHealthNode.class).list().getItems();
    }

    DaemonSet daemonSet() {
        return client.apps()
                .daemonSets()
                .inNamespace(NAMESPACE)
                .withName(AgentDaemonSet.NAME)
                .get();
    }

    /** Writes a TcpHealthNode status the way the node's agent does. */
    void report(String node, UnaryOperator<TcpHealthNodeStatus> status) {
        client.resources(TcpHealthNode.class).withName(node).editStatus(t -> {
            t.setStatus(status.apply(t.getStatus() == null ? new TcpHealthNodeStatus() : t.getStatus()));
            return t;
        });
    }

    @Override
    public void close() {
        try {
            operator.close();
        } finally {
            client.close();
            server.destroy();
        }
    }
}
