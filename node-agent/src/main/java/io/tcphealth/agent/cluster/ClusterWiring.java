package io.tcphealth.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcphealth.agent.diagnosis.SocketAgeStore;
import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.loop.AgentLoop;
import io.tcphealth.agent.loop.RoundRemediator;
import io.tcphealth.agent.loop.ScanSource;
import io.tcphealth.agent.metrics.AgentProbes;
import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One agent's API side put together around a client: its TcpHealthNode informer, its node's pod informer, the
 * status publisher and the Events, sharing one request budget ({@link #QPS} with bursts of {@link #BURST}).
 * The scanner and the remediation step are given, so tests can run many agents in one JVM on prepared scans.
 */
public final class ClusterWiring implements AutoCloseable {
    /** About one request a second on average: far above what a quiet node needs, far below what hurts an API server. */
    public static final double QPS = 1.0;

    public static final int BURST = 5;
    static final Duration BACKOFF_INITIAL = Duration.ofSeconds(1);
    static final Duration BACKOFF_MAX = Duration.ofMinutes(2);
    static final Duration PROBE_GRACE = Duration.ofSeconds(30);

    private final NodeSpecSource spec;
    private final PodIndex pods;
    private final AgentLoop agent;
    private final AgentProbes probes;
    private final StatusPublisher publisher;

    public ClusterWiring(
            KubernetesClient client,
            String node,
            ScanSource scanner,
            RoundRemediator remediator,
            Duration heartbeat,
            String eventNamespace,
            ScanMetrics metrics,
            Clock clock,
            Consumer<String> log) {
        this(client, node, scanner, remediator, heartbeat, eventNamespace, metrics, clock, log, null);
    }

    /**
     * @param journalDir the agent's journal folder: what it observed of sockets and zombies is kept there beside the
     *                   journal ({@link SocketAgeStore}), so a restarted agent knows how long a socket has been stuck
     *                   and {@code olderThan} does not start over; null keeps it in memory only
     */
    public ClusterWiring(
            KubernetesClient client,
            String node,
            ScanSource scanner,
            RoundRemediator remediator,
            Duration heartbeat,
            String eventNamespace,
            ScanMetrics metrics,
            Clock clock,
            Consumer<String> log,
            Path journalDir) {
        this(
                client,
                node,
                scanner,
                remediator,
                heartbeat,
                eventNamespace,
                metrics,
                clock,
                log,
                new TokenBucket(QPS, BURST, System::nanoTime),
                BACKOFF_INITIAL,
                BACKOFF_MAX,
                journalDir);
    }

    public ClusterWiring(
            KubernetesClient client,
            String node,
            ScanSource scanner,
            RoundRemediator remediator,
            Duration heartbeat,
            String eventNamespace,
            ScanMetrics metrics,
            Clock clock,
            Consumer<String> log,
            TokenBucket bucket,
            Duration backoffInitial,
            Duration backoffMax) {
        this(
                client,
                node,
                scanner,
                remediator,
                heartbeat,
                eventNamespace,
                metrics,
                clock,
                log,
                bucket,
                backoffInitial,
                backoffMax,
                null);
    }

    private ClusterWiring(
            KubernetesClient client,
            String node,
            ScanSource scanner,
            RoundRemediator remediator,
            Duration heartbeat,
            String eventNamespace,
            ScanMetrics metrics,
            Clock clock,
            Consumer<String> log,
            TokenBucket bucket,
            Duration backoffInitial,
            Duration backoffMax,
            Path journalDir) {
        this.spec = new NodeSpecSource(client, node, log).start();
        this.pods = new PodIndex(client, node, log).start();
        this.publisher = new StatusPublisher(
                new KubeNodeStatusWriter(client, node),
                bucket,
                new Backoff(backoffInitial, backoffMax, new Random()),
                clock,
                heartbeat,
                metrics,
                log);
        PodEvents events = new PodEvents(
                new KubeEventSink(client, node, clock),
                new PodAttribution(pods),
                () -> spec.current()
                        .map(n -> EventTarget.node(node, n.getMetadata().getUid(), eventNamespace)),
                bucket,
                clock,
                metrics,
                log);
        AgentLoop[] self = new AgentLoop[1];
        this.probes = new AgentProbes(clock, PROBE_GRACE, () -> self[0] != null && self[0].looping());
        // How long each socket has been seen in its state: kept beside the journal, it survives a restart.
        SocketAges ages = journalDir == null ? new SocketAges() : new SocketAges(new SocketAgeStore(journalDir));
        this.agent = ClusterAgent.loop(new ClusterAgent.Parts(
                node,
                scanner,
                ages,
                this::currentNode,
                pods,
                remediator,
                publisher,
                events,
                metrics,
                probes,
                clock,
                log));
        self[0] = agent;
    }

    private Optional<TcpHealthNode> currentNode() {
        return spec.current();
    }

    public AgentLoop agent() {
        return agent;
    }

    public AgentProbes probes() {
        return probes;
    }

    public StatusPublisher publisher() {
        return publisher;
    }

    @Override
    public void close() {
        spec.close();
        pods.close();
    }
}
