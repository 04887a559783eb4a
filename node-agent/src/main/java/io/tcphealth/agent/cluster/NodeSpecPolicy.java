package io.tcphealth.agent.cluster;

import io.tcphealth.agent.loop.PolicySource;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.policy.EffectivePolicy;
import io.tcphealth.agent.policy.PolicyException;
import io.tcphealth.api.v1alpha1.PolicyRestore;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The policy of an agent in a cluster: this node's TcpHealthNode spec (cached by an informer), the operator's
 * merge of every policy that selects the node. A spec that does not validate leaves the previous one in force.
 * Without its TcpHealthNode (not listed yet after a restart, or not created yet) the agent does not know what its
 * policies want: it scans with the defaults and changes nothing until it knows.
 */
public final class NodeSpecPolicy implements PolicySource {
    static final Duration WAITING_FOR_SPEC = Duration.ofSeconds(2);

    private final String node;
    private final Supplier<Optional<TcpHealthNode>> spec;
    private final Consumer<String> log;
    private final EffectivePolicy effective = new EffectivePolicy();
    private AgentPolicy policy;
    private TcpHealthNodeSpec current;
    private TcpHealthNodeSpec acceptedSpec;
    private Long acceptedGeneration;
    private String refusedSpec;

    public NodeSpecPolicy(String node, Supplier<Optional<TcpHealthNode>> spec, Consumer<String> log) {
        this.node = node;
        this.spec = spec;
        this.log = log;
        this.policy = defaults();
    }

    /** The policy of a node no policy has said anything about yet. */
    public static AgentPolicy defaults() {
        try {
            return new EffectivePolicy().of(new TcpHealthNodeSpec());
        } catch (PolicyException e) {
            throw new IllegalStateException("The default policy does not validate: " + e.problems(), e);
        }
    }

    @Override
    public Next next() {
        Optional<TcpHealthNode> found = spec.get();
        current = found.map(TcpHealthNode::getSpec).orElse(null);
        adopt(current, found.map(n -> n.getMetadata().getGeneration()).orElse(null));
        Set<String> departing =
                restoring(current).stream().map(PolicyRestore::getPolicy).collect(Collectors.toSet());
        return new Act(policy, found.isPresent(), departing);
    }

    /**
     * The interval, but at most {@link #WAITING_FOR_SPEC} while this node's TcpHealthNode is not known yet (the
     * informer is still listing, or the operator has not created it), so the first report does not wait a whole
     * interval.
     */
    @Override
    public Duration pause(AgentPolicy acting) {
        return acceptedGeneration == null && acting.interval().compareTo(WAITING_FOR_SPEC) > 0
                ? WAITING_FOR_SPEC
                : acting.interval();
    }

    /** The spec the last round read, or null when this node's TcpHealthNode was not found. */
    TcpHealthNodeSpec spec() {
        return current;
    }

    /** metadata.generation of the spec in force; null until one was accepted. */
    Long acceptedGeneration() {
        return acceptedGeneration;
    }

    /** Why the current spec was refused, or null. */
    String refusedSpec() {
        return refusedSpec;
    }

    private void adopt(TcpHealthNodeSpec found, Long generation) {
        TcpHealthNodeSpec wanted = found == null ? new TcpHealthNodeSpec() : found;
        if (wanted.equals(acceptedSpec)) {
            acceptedGeneration = generation;
            return;
        }
        try {
            AgentPolicy next = effective.of(wanted);
            if (acceptedSpec != null) {
                log.accept("TcpHealthNode " + node + " spec changed: now " + next.mode() + " every "
                        + next.interval().toSeconds() + "s, scope " + next.scope() + " (" + next.name() + ")");
            }
            policy = next;
            acceptedSpec = wanted;
            acceptedGeneration = generation;
            refusedSpec = null;
        } catch (PolicyException e) {
            String problems = String.join("; ", e.problems());
            if (!problems.equals(refusedSpec)) {
                log.accept("Refused the spec of TcpHealthNode " + node + ", keeping the previous one: " + problems);
            }
            refusedSpec = problems;
        }
    }

    static List<PolicyRestore> restoring(TcpHealthNodeSpec spec) {
        return spec == null || spec.getDepartingPolicies() == null ? List.of() : spec.getDepartingPolicies();
    }
}
