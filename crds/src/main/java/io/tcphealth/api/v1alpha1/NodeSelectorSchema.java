package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/**
 * Schema of {@code spec.nodeSelector}. At run time the field is fabric8's
 * {@link io.fabric8.kubernetes.api.model.LabelSelector}; this class gives the CRD descriptions and the operator
 * enum that fabric8's model lacks.
 */
public final class NodeSelectorSchema {

    public enum Operator {
        In,
        NotIn,
        Exists,
        DoesNotExist
    }

    /** One label requirement. */
    public static final class Requirement {

        @JsonPropertyDescription("Node label key, e.g. tcphealth.io/pool.")
        @Required
        public String key;

        @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
        @Required
        public Operator operator;

        @JsonPropertyDescription("Values for In and NotIn; empty for Exists and DoesNotExist.")
        public List<String> values;

        private Requirement() {}
    }

    @JsonPropertyDescription("Node labels that must all be present with these values.")
    public Map<String, String> matchLabels;

    @JsonPropertyDescription("Label requirements that must all hold.")
    public List<Requirement> matchExpressions;

    private NodeSelectorSchema() {}
}
