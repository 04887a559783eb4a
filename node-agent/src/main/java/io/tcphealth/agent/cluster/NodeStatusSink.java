package io.tcphealth.agent.cluster;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.loop.Round;
import io.tcphealth.agent.loop.RoundRemedy;
import io.tcphealth.agent.loop.RoundSink;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a cluster round goes: the findings get their pods named, the TcpHealthNode status is built and offered to
 * the publisher (written only on change, rate-limited), and findings are announced as Events. The API is only
 * written to after the node's own work is done, and its failures never stop the loop: the newest status is written
 * once the API server is back. Without its TcpHealthNode the agent reports nothing.
 */
public final class NodeStatusSink implements RoundSink {
    private final String node;
    private final NodeSpecPolicy spec;
    private final PodAttribution attribution;
    private final StatusPublisher publisher;
    private final PodEvents events;
    private final Clock clock;
    private final Consumer<String> log;
    private final StatusBuilder statuses = new StatusBuilder();
    private final List<RemediationAction> recentActions = new ArrayList<>();
    private boolean waitingLogged;

    public NodeStatusSink(
            String node,
            NodeSpecPolicy spec,
            PodLookup pods,
            StatusPublisher publisher,
            PodEvents events,
            Clock clock,
            Consumer<String> log) {
        this.node = node;
        this.spec = spec;
        this.attribution = new PodAttribution(pods);
        this.publisher = publisher;
        this.events = events;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void roundDone(Round round) {
        remember(round.remedy().actions());
        TcpHealthNodeSpec current = spec.spec();
        if (current == null) {
            if (!waitingLogged) {
                log.accept(
                        "TcpHealthNode " + node + " does not exist (yet): scanning with defaults, reporting nothing");
                waitingLogged = true;
            }
            return;
        }
        waitingLogged = false;
        List<Finding> attributed = attribution.attach(round.findings());
        TcpHealthNodeStatus status = statuses.build(new StatusBuilder.Input(
                node,
                round.scan(),
                attributed,
                round.remedy(),
                List.copyOf(recentActions),
                applied(current, round.remedy()),
                spec.acceptedGeneration(),
                spec.refusedSpec(),
                publisher.written(),
                clock.instant()));
        attribution.name(status.getNamespaceCounters());
        publisher.offer(status);
        publisher.publish();
        events.announce(attributed);
    }

    @Override
    public void roundFailed(AgentPolicy policy, Exception cause) {
        if (cause instanceof IOException) {
            log.accept("Scan of node " + node + " failed: " + cause.getMessage());
        } else {
            // Whatever a round trips over (a parser, the client, a bug), the next round runs.
            log.accept("Round on node " + node + " failed, the next one runs in "
                    + policy.interval().toSeconds() + "s: " + cause);
        }
    }

    /**
     * Policies in force here plus those whose changes the journal still holds. A departing policy that does
     * not want its changes undone is confirmed at once: there is nothing to wait for.
     */
    static List<String> applied(TcpHealthNodeSpec spec, RoundRemedy remedy) {
        Set<String> out = new HashSet<>(spec.getPolicies() == null ? List.of() : spec.getPolicies());
        Set<String> keep = new HashSet<>();
        for (PolicyRestore p : NodeSpecPolicy.restoring(spec)) {
            if (!Boolean.FALSE.equals(p.getRestoreOnDelete())) {
                keep.add(p.getPolicy());
            }
        }
        for (String held : remedy.held()) {
            if (out.contains(held) || keep.contains(held)) {
                out.add(held);
            }
        }
        return List.copyOf(out);
    }

    private void remember(List<RemediationAction> actions) {
        List<RemediationAction> newestFirst = new ArrayList<>(actions);
        Collections.reverse(newestFirst);
        recentActions.addAll(0, newestFirst);
        while (recentActions.size() > TcpHealthNodeStatus.MAX_ACTIONS) {
            recentActions.removeLast();
        }
    }
}
