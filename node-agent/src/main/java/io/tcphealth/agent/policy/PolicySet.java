package io.tcphealth.agent.policy;

import io.tcphealth.api.v1alpha1.Conflict;
import io.tcphealth.api.v1alpha1.TcpHealthNodeSpec;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.merge.PolicyMerge;
import io.tcphealth.api.v1alpha1.validation.PolicyRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policies of a plain host's policy files, each checked with the shared rules and then merged by the
 * operator's own {@link PolicyMerge}: key by key, the highest priority wins, ties go to the name that sorts
 * first, and every key two policies set differently is a {@link Conflict}. One invalid policy refuses the
 * whole set, so nothing is half-applied and nothing is left out without a word.
 *
 * @param policy    the merged policy the rounds run
 * @param names     the policies, highest priority first
 * @param conflicts the keys several policies set, with winner and losers, as the operator reports them
 * @param notes     what a reader should know, such as node selectors having no meaning on a plain host
 */
public record PolicySet(AgentPolicy policy, List<String> names, List<Conflict> conflicts, List<String> notes) {

    public PolicySet {
        names = List.copyOf(names);
        conflicts = List.copyOf(conflicts);
        notes = List.copyOf(notes);
    }

    /**
     * @param source    names the files in messages
     * @param documents every policy read, in file and document order
     * @throws PolicyException listing every problem of every policy, each with its document
     */
    public static PolicySet of(String source, List<PolicyFile.Document> documents) throws PolicyException {
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        List<String> notes = new ArrayList<>();
        boolean several = documents.size() > 1;
        for (PolicyFile.Document d : documents) {
            String prefix = several ? d.source() + ": " : "";
            PolicyRules.problems(d.policy()).forEach(p -> problems.add(prefix + p));
            String name = d.policy().getMetadata() == null
                    ? null
                    : d.policy().getMetadata().getName();
            if (name != null && seen.putIfAbsent(name, d.source()) != null) {
                problems.add(prefix + "metadata.name: '" + name + "' is also the name of the policy in "
                        + seen.get(name) + "; every policy needs its own name");
            }
            if (name != null
                    && d.policy().getSpec() != null
                    && d.policy().getSpec().getNodeSelector() != null) {
                notes.add("Policy " + name + " has a nodeSelector: on a plain host there are no node labels, and every "
                        + "policy in " + source + " applies");
            }
        }
        if (documents.size() > TcpHealthNodeSpec.MAX_POLICIES) {
            problems.add("holds " + documents.size() + " policies; at most " + TcpHealthNodeSpec.MAX_POLICIES
                    + " can govern one node");
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(source, problems);
        }
        List<TcpHealthPolicy> policies =
                documents.stream().map(PolicyFile.Document::policy).toList();
        TcpHealthNodeSpec merged = PolicyMerge.merge(policies);
        AgentPolicy policy = new EffectivePolicy().of(source, merged);
        return new PolicySet(policy, merged.getPolicies(), merged.getConflicts(), notes);
    }
}
