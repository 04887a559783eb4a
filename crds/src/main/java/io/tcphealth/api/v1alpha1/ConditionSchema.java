package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Schema of one status condition. At run time conditions are fabric8's
 * {@link io.fabric8.kubernetes.api.model.Condition}; this class only gives the generated CRD the descriptions and
 * bounds that fabric8's model lacks. Only type and status are required so a writer that leaves out a reason is
 * not rejected.
 */
public final class ConditionSchema {

    public enum Status {
        True,
        False,
        Unknown
    }

    @JsonPropertyDescription(
            "Condition type, e.g. Ready, Degraded, Conflict, Healthy, SysctlsApplied, " + "Remediating or AgentReady.")
    @Required
    @Size(max = 316)
    @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
    public String type;

    @JsonPropertyDescription("True, False or Unknown.")
    @Required
    public Status status;

    @JsonPropertyDescription("Machine-readable reason for the last transition, in CamelCase.")
    @Size(max = 1024)
    public String reason;

    @JsonPropertyDescription("Human-readable details.")
    @Size(max = 32768)
    public String message;

    @JsonPropertyDescription("When status last changed (RFC 3339).")
    public String lastTransitionTime;

    @JsonPropertyDescription("The metadata.generation the condition was set from.")
    public Long observedGeneration;

    private ConditionSchema() {}
}
