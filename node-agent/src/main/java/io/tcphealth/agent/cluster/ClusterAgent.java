package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.SocketAges;
import io.tcphealth.agent.loop.AgentLoop;
import io.tcphealth.agent.loop.AgentRound;
import io.tcphealth.agent.loop.MetricsSink;
import io.tcphealth.agent.loop.RoundRemediator;
import io.tcphealth.agent.loop.RoundSink;
import io.tcphealth.agent.loop.ScanSource;
import io.tcphealth.agent.metrics.AgentProbes;
import io.tcphealth.agent.metrics.ScanMetrics;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent in a cluster: the one agent loop fed by this node's TcpHealthNode spec ({@link NodeSpecPolicy}) and
 * reporting to its status, Events and the metrics ({@link NodeStatusSink}). Every I/O seam is a part, so tests can
 * run agents on prepared scans.
 */
public final class ClusterAgent {
    /**
     * Parts of one agent.
     *
     * @param ages what was observed of each socket across rounds
     */
    public record Parts(
            String node,
            ScanSource scanner,
            SocketAges ages,
            Supplier<Optional<TcpHealthNode>> spec,
            PodLookup pods,
            RoundRemediator remediator,
            StatusPublisher publisher,
            PodEvents events,
            ScanMetrics metrics,
            AgentProbes probes,
            Clock clock,
            Consumer<String> log) {}

    private ClusterAgent() {}

    public static AgentLoop loop(Parts parts) {
        NodeSpecPolicy source = new NodeSpecPolicy(parts.node(), parts.spec(), parts.log());
        return new AgentLoop(
                new AgentLoop.Parts(
                        source,
                        new AgentRound(parts.scanner(), parts.ages(), parts.remediator()),
                        parts.remediator(),
                        RoundSink.all(
                                new MetricsSink(parts.metrics()),
                                new NodeStatusSink(
                                        parts.node(),
                                        source,
                                        parts.pods(),
                                        parts.publisher(),
                                        parts.events(),
                                        parts.clock(),
                                        parts.log())),
                        parts.probes(),
                        parts.log(),
                        "node " + parts.node(),
                        false),
                NodeSpecPolicy.defaults());
    }
}
