package io.tcphealth.api.v1alpha1.validation;

import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Every rule a TcpHealthPolicy must meet, for every entry point: the operator before it merges a policy, the
 * agent for a policy file ({@code run --policy}, {@code diagnose --plan}) and for its node's merged spec.
 * The schema's own bounds and CEL rules come from the API types' annotations ({@link FieldRules}, the same
 * annotations the CRD is generated from); the node selector's label syntax, which the schema cannot express,
 * is checked here too.
 *
 * <p>To add a bounded field: put {@code @Min}/{@code @Max}/{@code @Size}/{@code @Pattern} on it and quote its
 * default from {@link io.tcphealth.api.v1alpha1.PolicyDefaults} in its description; a duration field takes
 * {@code @Pattern(GoDuration.PATTERN)} and a {@code @ValidationRule} of the form
 * {@code GoDuration.RULE_GUARD + "duration(self) >= duration('10s')"}. Both are enforced here with no further
 * code. Any other CEL rule needs its text in {@code CelRules} and a twin in {@code CelTwins}; the crds tests
 * fail until it has one.
 */
public final class PolicyRules {

    private PolicyRules() {}

    /** Problems, one sentence each starting with the field's path ({@code spec.interval: ...}); empty when valid. */
    public static List<String> problems(TcpHealthPolicy policy) {
        List<String> problems = new ArrayList<>();
        String name = policy.getMetadata() == null ? null : policy.getMetadata().getName();
        if (name == null || name.isBlank()) {
            problems.add("metadata.name: required (every change is recorded under the policy's name)");
        }
        TcpHealthPolicySpec spec = policy.getSpec() == null ? new TcpHealthPolicySpec() : policy.getSpec();
        problems.addAll(NodeSelectorRules.problems("spec.nodeSelector", spec.getNodeSelector()));
        problems.addAll(FieldRules.check("spec", spec));
        return problems;
    }
}
