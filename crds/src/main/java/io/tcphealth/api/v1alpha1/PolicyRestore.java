package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Whether a policy's changes on this node are undone when the policy goes away. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyRestore {

    @JsonPropertyDescription("Name of the TcpHealthPolicy.")
    private String policy;

    @JsonPropertyDescription("Copy of the policy's spec.remediation.restoreOnDelete.")
    private Boolean restoreOnDelete;

    public PolicyRestore() {}

    public PolicyRestore(String policy, Boolean restoreOnDelete) {
        this.policy = policy;
        this.restoreOnDelete = restoreOnDelete;
    }

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = policy;
    }

    public Boolean getRestoreOnDelete() {
        return restoreOnDelete;
    }

    public void setRestoreOnDelete(Boolean restoreOnDelete) {
        this.restoreOnDelete = restoreOnDelete;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PolicyRestore that)) {
            return false;
        }
        return Objects.equals(policy, that.policy) && Objects.equals(restoreOnDelete, that.restoreOnDelete);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, restoreOnDelete);
    }

    @Override
    public String toString() {
        return "PolicyRestore{" + "policy=" + policy + ", restoreOnDelete=" + restoreOnDelete + "}";
    }
}
