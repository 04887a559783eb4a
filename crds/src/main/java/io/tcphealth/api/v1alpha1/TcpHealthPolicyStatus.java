package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Written by the operator from the statuses of the matching TcpHealthNodes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TcpHealthPolicyStatus {

    /** Most nodes listed in worstNodes; the rest are only counted in worstNodesTruncated. */
    public static final int MAX_WORST_NODES = 10;

    @JsonPropertyDescription("The metadata.generation this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready (the policy is in force on every matched node), Degraded (some nodes "
            + "report problems or no longer report) and Conflict (another policy won a key this one sets).")
    @Size(max = 8)
    @SchemaFrom(type = ConditionSchema[].class)
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The policy's remediation mode, Observe when spec.remediation.mode is unset (the spec "
            + "stores only what was written, so that a default never overrides another policy): the Mode column.")
    private RemediationMode mode;

    @JsonPropertyDescription("How many nodes match, report, are healthy or unhealthy, or have gone stale.")
    private NodeCounts nodes;

    @JsonPropertyDescription("Counts summed over the matched nodes.")
    private Totals totals;

    @JsonPropertyDescription("The worst matched nodes first (at most 10).")
    @Size(max = MAX_WORST_NODES)
    private List<NodeSummary> worstNodes = new ArrayList<>();

    @JsonPropertyDescription("Unhealthy or stale nodes left out of worstNodes.")
    private int worstNodesTruncated;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public NodeCounts getNodes() {
        return nodes;
    }

    public void setNodes(NodeCounts nodes) {
        this.nodes = nodes;
    }

    public Totals getTotals() {
        return totals;
    }

    public void setTotals(Totals totals) {
        this.totals = totals;
    }

    public RemediationMode getMode() {
        return mode;
    }

    public void setMode(RemediationMode mode) {
        this.mode = mode;
    }

    public List<NodeSummary> getWorstNodes() {
        return worstNodes;
    }

    public void setWorstNodes(List<NodeSummary> worstNodes) {
        this.worstNodes = worstNodes;
    }

    public int getWorstNodesTruncated() {
        return worstNodesTruncated;
    }

    public void setWorstNodesTruncated(int worstNodesTruncated) {
        this.worstNodesTruncated = worstNodesTruncated;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TcpHealthPolicyStatus that)) {
            return false;
        }
        return Objects.equals(observedGeneration, that.observedGeneration)
                && Objects.equals(conditions, that.conditions)
                && Objects.equals(mode, that.mode)
                && Objects.equals(nodes, that.nodes)
                && Objects.equals(totals, that.totals)
                && Objects.equals(worstNodes, that.worstNodes)
                && worstNodesTruncated == that.worstNodesTruncated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, mode, nodes, totals, worstNodes, worstNodesTruncated);
    }

    @Override
    public String toString() {
        return "TcpHealthPolicyStatus{"
                + "observedGeneration=" + observedGeneration
                + ", conditions=" + conditions
                + ", nodes=" + nodes
                + ", totals=" + totals
                + ", worstNodes=" + worstNodes
                + ", mode=" + mode
                + ", worstNodesTruncated=" + worstNodesTruncated
                + "}";
    }
}
