package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Written by the operator only: the node's configuration after merging every matching policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TcpHealthNodeSpec {

    /** Most policies one node can be governed by; the operator reports the rest as conflicts. */
    public static final int MAX_POLICIES = 64;

    @JsonPropertyDescription("Names of the TcpHealthPolicies that match this node, highest priority first.")
    @Size(max = MAX_POLICIES)
    private List<String> policies = new ArrayList<>();

    @JsonPropertyDescription("Effective scan period.")
    private Sourced<String> interval;

    @JsonPropertyDescription("Effective scope: Host or AllNamespaces.")
    private Sourced<Scope> scope;

    @JsonPropertyDescription("Effective ports of special interest.")
    private Sourced<List<Integer>> ports;

    @JsonPropertyDescription("Effective thresholds, each with its policy.")
    private EffectiveThresholds thresholds;

    @JsonPropertyDescription("Sysctls the agent should hold, by kernel key, each with its policy.")
    @Size(max = 32)
    private List<SysctlSetting> sysctls = new ArrayList<>();

    @JsonPropertyDescription("Effective remediation, each part with its policy.")
    private EffectiveRemediation remediation;

    @JsonPropertyDescription("Keys set by more than one matching policy, with the winner and the losers.")
    @Size(max = 64)
    private List<Conflict> conflicts = new ArrayList<>();

    @JsonPropertyDescription("Whether the changes of each matching policy are undone when it goes away.")
    @Size(max = MAX_POLICIES)
    private List<PolicyRestore> restoreOnDelete = new ArrayList<>();

    @JsonPropertyDescription("Policies that no longer apply to this node (deleted, no longer selecting it, or invalid) "
            + "whose changes the agent still holds: the agent undoes them when restoreOnDelete is true, otherwise just "
            + "lets go, and then drops them from status.appliedPolicies, which lets a deletion finish.")
    @Size(max = MAX_POLICIES)
    private List<PolicyRestore> departingPolicies = new ArrayList<>();

    public List<String> getPolicies() {
        return policies;
    }

    public void setPolicies(List<String> policies) {
        this.policies = policies;
    }

    public Sourced<String> getInterval() {
        return interval;
    }

    public void setInterval(Sourced<String> interval) {
        this.interval = interval;
    }

    public Sourced<Scope> getScope() {
        return scope;
    }

    public void setScope(Sourced<Scope> scope) {
        this.scope = scope;
    }

    public Sourced<List<Integer>> getPorts() {
        return ports;
    }

    public void setPorts(Sourced<List<Integer>> ports) {
        this.ports = ports;
    }

    public EffectiveThresholds getThresholds() {
        return thresholds;
    }

    public void setThresholds(EffectiveThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public List<SysctlSetting> getSysctls() {
        return sysctls;
    }

    public void setSysctls(List<SysctlSetting> sysctls) {
        this.sysctls = sysctls;
    }

    public EffectiveRemediation getRemediation() {
        return remediation;
    }

    public void setRemediation(EffectiveRemediation remediation) {
        this.remediation = remediation;
    }

    public List<Conflict> getConflicts() {
        return conflicts;
    }

    public void setConflicts(List<Conflict> conflicts) {
        this.conflicts = conflicts;
    }

    public List<PolicyRestore> getRestoreOnDelete() {
        return restoreOnDelete;
    }

    public void setRestoreOnDelete(List<PolicyRestore> restoreOnDelete) {
        this.restoreOnDelete = restoreOnDelete;
    }

    public List<PolicyRestore> getDepartingPolicies() {
        return departingPolicies;
    }

    public void setDepartingPolicies(List<PolicyRestore> departingPolicies) {
        this.departingPolicies = departingPolicies;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TcpHealthNodeSpec that)) {
            return false;
        }
        return Objects.equals(policies, that.policies)
                && Objects.equals(interval, that.interval)
                && Objects.equals(scope, that.scope)
                && Objects.equals(ports, that.ports)
                && Objects.equals(thresholds, that.thresholds)
                && Objects.equals(sysctls, that.sysctls)
                && Objects.equals(remediation, that.remediation)
                && Objects.equals(conflicts, that.conflicts)
                && Objects.equals(restoreOnDelete, that.restoreOnDelete)
                && Objects.equals(departingPolicies, that.departingPolicies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                policies,
                interval,
                scope,
                ports,
                thresholds,
                sysctls,
                remediation,
                conflicts,
                restoreOnDelete,
                departingPolicies);
    }

    @Override
    public String toString() {
        return "TcpHealthNodeSpec{"
                + "policies=" + policies
                + ", interval=" + interval
                + ", scope=" + scope
                + ", ports=" + ports
                + ", thresholds=" + thresholds
                + ", sysctls=" + sysctls
                + ", remediation=" + remediation
                + ", conflicts=" + conflicts
                + ", restoreOnDelete=" + restoreOnDelete
                + ", departingPolicies=" + departingPolicies
                + "}";
    }
}
