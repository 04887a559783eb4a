package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One allow-listed sysctl in one network namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SysctlStatus {

    @JsonPropertyDescription("Kernel key, e.g. net.ipv4.tcp_keepalive_time.")
    private String name;

    @JsonPropertyDescription("Network namespace: host, or a pod namespace's inode as net:[4026532001].")
    private String netns;

    @JsonPropertyDescription("Value read from the kernel in the last scan.")
    private Long observed;

    @JsonPropertyDescription("Value the effective configuration asks for; unset: left alone.")
    private Long desired;

    @JsonPropertyDescription("Value before the agent first changed it (from the node's journal).")
    private Long original;

    @JsonPropertyDescription("Whether observed equals desired because the agent wrote it.")
    private Boolean applied;

    @JsonPropertyDescription("Policy the desired value came from.")
    private String policy;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNetns() {
        return netns;
    }

    public void setNetns(String netns) {
        this.netns = netns;
    }

    public Long getObserved() {
        return observed;
    }

    public void setObserved(Long observed) {
        this.observed = observed;
    }

    public Long getDesired() {
        return desired;
    }

    public void setDesired(Long desired) {
        this.desired = desired;
    }

    public Long getOriginal() {
        return original;
    }

    public void setOriginal(Long original) {
        this.original = original;
    }

    public Boolean getApplied() {
        return applied;
    }

    public void setApplied(Boolean applied) {
        this.applied = applied;
    }

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = policy;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SysctlStatus that)) {
            return false;
        }
        return Objects.equals(name, that.name)
                && Objects.equals(netns, that.netns)
                && Objects.equals(observed, that.observed)
                && Objects.equals(desired, that.desired)
                && Objects.equals(original, that.original)
                && Objects.equals(applied, that.applied)
                && Objects.equals(policy, that.policy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, netns, observed, desired, original, applied, policy);
    }

    @Override
    public String toString() {
        return "SysctlStatus{"
                + "name=" + name
                + ", netns=" + netns
                + ", observed=" + observed
                + ", desired=" + desired
                + ", original=" + original
                + ", applied=" + applied
                + ", policy=" + policy
                + "}";
    }
}
