package io.tcphealth.operator.agent;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Node affinity that places the agent exactly where some policy applies: the union of every policy's node
 * selector, plus the nodes that still hold changes a dropped policy made (their agent must stay until it has
 * put the original values back).
 */
public final class AgentAffinity {

    private AgentAffinity() {}

    /**
     * Builds the affinity, or empty when some selector selects every node (no affinity needed).
     *
     * @param selectors the selectors of all active policies
     * @param drainingNodes names of nodes whose agent must stay although no policy selects them
     */
    public static Optional<Affinity> of(Collection<LabelSelector> selectors, Collection<String> drainingNodes) {
        // Node selector terms are ORed; the requirements inside one term are ANDed, which is exactly a label
        // selector's meaning. An empty term matches no node, so a select-all policy means no affinity at all.
        Set<NodeSelectorTerm> terms = new LinkedHashSet<>();
        for (LabelSelector selector : selectors) {
            List<NodeSelectorRequirement> requirements = requirements(selector);
            if (requirements.isEmpty()) {
                return Optional.empty();
            }
            terms.add(new NodeSelectorTermBuilder()
                    .withMatchExpressions(requirements)
                    .build());
        }
        // The API server accepts exactly one value in a matchFields requirement on metadata.name ("must be only
        // one value when `operator` is 'In' or 'NotIn' for node field selector"): one term per draining node.
        for (String node : new TreeSet<>(drainingNodes)) {
            terms.add(new NodeSelectorTermBuilder()
                    .addToMatchFields(new NodeSelectorRequirement("metadata.name", "In", List.of(node)))
                    .build());
        }
        List<NodeSelectorTerm> sorted = new ArrayList<>(terms);
        sorted.sort(Comparator.comparing(NodeSelectorTerm::toString));
        return Optional.of(new AffinityBuilder()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(sorted)
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .build());
    }

    /** The selector's requirements as node selector requirements, sorted so equal selectors give equal terms. */
    static List<NodeSelectorRequirement> requirements(LabelSelector selector) {
        List<NodeSelectorRequirement> out = new ArrayList<>();
        if (selector == null) {
            return out;
        }
        Map<String, String> labels =
                selector.getMatchLabels() == null ? Map.of() : new TreeMap<>(selector.getMatchLabels());
        labels.forEach((key, value) -> out.add(new NodeSelectorRequirement(key, "In", List.of(value))));
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
                List<String> values =
                        expression.getValues() == null || expression.getValues().isEmpty()
                                ? null
                                : List.copyOf(new TreeSet<>(expression.getValues()));
                // Label selectors and node selectors share In, NotIn, Exists and DoesNotExist; policy validation has
                // already rejected anything else.
                out.add(new NodeSelectorRequirement(expression.getKey(), expression.getOperator(), values));
            }
        }
        out.sort(Comparator.comparing(NodeSelectorRequirement::getKey)
                .thenComparing(NodeSelectorRequirement::getOperator)
                .thenComparing(r -> String.valueOf(r.getValues())));
        return out;
    }
}
