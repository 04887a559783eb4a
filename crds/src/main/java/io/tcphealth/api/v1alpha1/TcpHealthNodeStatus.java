package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Written by the node's agent only. The same structure is the JSON of {@code tcphealth diagnose -o json}.
 * Every list is capped so the object stays far below the API server's size limit on a node with 100k sockets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TcpHealthNodeStatus {

    public static final int MAX_FINDINGS = 50;
    public static final int MAX_SYSCTLS = 64;
    public static final int MAX_ACTIONS = 20;
    public static final int MAX_NAMESPACE_COUNTERS = 16;

    @JsonPropertyDescription("The most recent scan.")
    private LastScan lastScan;

    @JsonPropertyDescription("When the agent last wrote this status (RFC 3339); written at least every 5 minutes "
            + "even when nothing changed.")
    private String heartbeat;

    @JsonPropertyDescription("Sockets by TCP state, summed over the scanned network namespaces.")
    private StateCounts states;

    @JsonPropertyDescription("Orphaned sockets against net.ipv4.tcp_max_orphans (node-wide).")
    private OrphanCounts orphans;

    @JsonPropertyDescription("Zombie processes and their parents.")
    private ZombieCounts zombies;

    @JsonPropertyDescription("The most severe findings first (at most 50).")
    @Size(max = MAX_FINDINGS)
    private List<NodeFinding> findings = new ArrayList<>();

    @JsonPropertyDescription("Findings left out of the findings list.")
    private int findingsTruncated;

    @JsonPropertyDescription(
            "Per network namespace, its own TCP counters' rise between the last two scans: the "
                    + "host's, then the pods' namespaces whose counters rose most (at most 16). Host-wide figures (orphans, TCP "
                    + "memory) are in orphans and the findings. Refreshed with the heartbeat; the agent's metrics have every scan.")
    @Size(max = MAX_NAMESPACE_COUNTERS)
    private List<NamespaceCounters> namespaceCounters;

    @JsonPropertyDescription("Namespaces left out of namespaceCounters.")
    private Integer namespaceCountersTruncated;

    @JsonPropertyDescription("Allow-listed sysctls: observed, desired and original values per network namespace.")
    @Size(max = MAX_SYSCTLS)
    private List<SysctlStatus> sysctls = new ArrayList<>();

    @JsonPropertyDescription("Sysctl entries left out of the sysctls list.")
    private int sysctlsTruncated;

    @JsonPropertyDescription("Recent remediation actions, newest first (at most 20).")
    @Size(max = MAX_ACTIONS)
    private List<RemediationAction> actions = new ArrayList<>();

    @JsonPropertyDescription("Older recent actions left out of the actions list.")
    private int actionsTruncated;

    @JsonPropertyDescription("Policies whose changes this agent currently holds applied. A deleted policy's "
            + "deletion completes once it is gone from here.")
    @Size(max = TcpHealthNodeSpec.MAX_POLICIES)
    private List<String> appliedPolicies = new ArrayList<>();

    @JsonPropertyDescription("Sysctls the agent set inside pod network namespaces and has not yet put back. "
            + "Restoring them needs setns into those namespaces, so the agents keep SYS_ADMIN while any node "
            + "reports some, even after the last AllNamespaces policy is gone.")
    @Min(0)
    private Integer podNamespaceChanges;

    @JsonPropertyDescription("The metadata.generation of the spec the agent last acted on.")
    private Long observedSpecGeneration;

    @JsonPropertyDescription(
            "Healthy (no Warning or Critical findings), SysctlsApplied, Remediating and " + "AgentReady.")
    @Size(max = 8)
    @SchemaFrom(type = ConditionSchema[].class)
    private List<Condition> conditions = new ArrayList<>();

    public LastScan getLastScan() {
        return lastScan;
    }

    public void setLastScan(LastScan lastScan) {
        this.lastScan = lastScan;
    }

    public String getHeartbeat() {
        return heartbeat;
    }

    public void setHeartbeat(String heartbeat) {
        this.heartbeat = heartbeat;
    }

    public StateCounts getStates() {
        return states;
    }

    public void setStates(StateCounts states) {
        this.states = states;
    }

    public OrphanCounts getOrphans() {
        return orphans;
    }

    public void setOrphans(OrphanCounts orphans) {
        this.orphans = orphans;
    }

    public ZombieCounts getZombies() {
        return zombies;
    }

    public void setZombies(ZombieCounts zombies) {
        this.zombies = zombies;
    }

    public List<NodeFinding> getFindings() {
        return findings;
    }

    public void setFindings(List<NodeFinding> findings) {
        this.findings = findings;
    }

    public int getFindingsTruncated() {
        return findingsTruncated;
    }

    public void setFindingsTruncated(int findingsTruncated) {
        this.findingsTruncated = findingsTruncated;
    }

    public List<NamespaceCounters> getNamespaceCounters() {
        return namespaceCounters;
    }

    public void setNamespaceCounters(List<NamespaceCounters> namespaceCounters) {
        this.namespaceCounters = namespaceCounters;
    }

    public Integer getNamespaceCountersTruncated() {
        return namespaceCountersTruncated;
    }

    public void setNamespaceCountersTruncated(Integer namespaceCountersTruncated) {
        this.namespaceCountersTruncated = namespaceCountersTruncated;
    }

    public List<SysctlStatus> getSysctls() {
        return sysctls;
    }

    public void setSysctls(List<SysctlStatus> sysctls) {
        this.sysctls = sysctls;
    }

    public int getSysctlsTruncated() {
        return sysctlsTruncated;
    }

    public void setSysctlsTruncated(int sysctlsTruncated) {
        this.sysctlsTruncated = sysctlsTruncated;
    }

    public int getActionsTruncated() {
        return actionsTruncated;
    }

    public void setActionsTruncated(int actionsTruncated) {
        this.actionsTruncated = actionsTruncated;
    }

    public List<RemediationAction> getActions() {
        return actions;
    }

    public void setActions(List<RemediationAction> actions) {
        this.actions = actions;
    }

    public Integer getPodNamespaceChanges() {
        return podNamespaceChanges;
    }

    public void setPodNamespaceChanges(Integer podNamespaceChanges) {
        this.podNamespaceChanges = podNamespaceChanges;
    }

    public List<String> getAppliedPolicies() {
        return appliedPolicies;
    }

    public void setAppliedPolicies(List<String> appliedPolicies) {
        this.appliedPolicies = appliedPolicies;
    }

    public Long getObservedSpecGeneration() {
        return observedSpecGeneration;
    }

    public void setObservedSpecGeneration(Long observedSpecGeneration) {
        this.observedSpecGeneration = observedSpecGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TcpHealthNodeStatus that)) {
            return false;
        }
        return Objects.equals(lastScan, that.lastScan)
                && Objects.equals(heartbeat, that.heartbeat)
                && Objects.equals(states, that.states)
                && Objects.equals(orphans, that.orphans)
                && Objects.equals(zombies, that.zombies)
                && Objects.equals(findings, that.findings)
                && findingsTruncated == that.findingsTruncated
                && Objects.equals(namespaceCounters, that.namespaceCounters)
                && Objects.equals(namespaceCountersTruncated, that.namespaceCountersTruncated)
                && Objects.equals(sysctls, that.sysctls)
                && sysctlsTruncated == that.sysctlsTruncated
                && Objects.equals(actions, that.actions)
                && actionsTruncated == that.actionsTruncated
                && Objects.equals(appliedPolicies, that.appliedPolicies)
                && Objects.equals(podNamespaceChanges, that.podNamespaceChanges)
                && Objects.equals(observedSpecGeneration, that.observedSpecGeneration)
                && Objects.equals(conditions, that.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                lastScan,
                heartbeat,
                states,
                orphans,
                zombies,
                findings,
                findingsTruncated,
                namespaceCounters,
                namespaceCountersTruncated,
                sysctls,
                sysctlsTruncated,
                actions,
                actionsTruncated,
                appliedPolicies,
                podNamespaceChanges,
                observedSpecGeneration,
                conditions);
    }

    @Override
    public String toString() {
        return "TcpHealthNodeStatus{"
                + "lastScan=" + lastScan
                + ", heartbeat=" + heartbeat
                + ", states=" + states
                + ", orphans=" + orphans
                + ", zombies=" + zombies
                + ", findings=" + findings
                + ", findingsTruncated=" + findingsTruncated
                + ", namespaceCounters=" + namespaceCounters
                + ", sysctls=" + sysctls
                + ", sysctlsTruncated=" + sysctlsTruncated
                + ", actions=" + actions
                + ", actionsTruncated=" + actionsTruncated
                + ", appliedPolicies=" + appliedPolicies
                + ", podNamespaceChanges=" + podNamespaceChanges
                + ", observedSpecGeneration=" + observedSpecGeneration
                + ", conditions=" + conditions
                + "}";
    }
}
