package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** One diagnosed problem, with what it means and what to do next. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeFinding {

    @JsonPropertyDescription("CloseWaitLeak, UnreadReceiveQueue, FinWait1Stuck, OrphanPressure, PortOccupied, "
            + "ZombieProcesses, ZombieHoldsSockets, FdExhaustionRisk, SysctlDrift, EphemeralPortExhaustion, "
            + "ListenQueueOverflow, StalledConnection, TcpMemoryPressure, ZeroWindowStall or IdleWithoutKeepalive.")
    private String type;

    @JsonPropertyDescription("Info, Warning or Critical.")
    private Severity severity;

    @JsonPropertyDescription("Sockets or processes concerned.")
    private long count;

    @JsonPropertyDescription("Local port concerned, if one.")
    private Integer port;

    @JsonPropertyDescription("TCP state concerned, e.g. CLOSE_WAIT, if one.")
    private String state;

    @JsonPropertyDescription("Process concerned (for zombies: the parent that does not reap).")
    private Integer pid;

    @JsonPropertyDescription("That process's command name.")
    private String comm;

    @JsonPropertyDescription("Container of that process, if it runs in one.")
    private String containerId;

    @JsonPropertyDescription("UID of the pod of that container.")
    private String podUid;

    @JsonPropertyDescription("That pod as namespace/name.")
    private String pod;

    @JsonPropertyDescription("Network namespace: host, or the namespace's inode as net:[4026531840].")
    private String netns;

    @JsonPropertyDescription("Seconds the oldest socket or process concerned has been in this condition, at least.")
    private Long ageSeconds;

    @JsonPropertyDescription(
            "Where ageSeconds comes from: kernelIdle (the kernel's tcp_info says the connection has been "
                    + "idle that long, a lower bound known on the first scan) or observed (seen so by the agent across scans).")
    @Pattern("^(kernelIdle|observed)$")
    private String ageBasis;

    @JsonPropertyDescription(
            "Every process holding the sockets concerned, each with how many it holds; a socket held by "
                    + "several processes ends only when all of them close it.")
    @Size(max = 16)
    private List<FindingHolder> holders;

    @JsonPropertyDescription("What was found, in plain language.")
    @Size(max = 1024)
    private String message;

    @JsonPropertyDescription("What to do next.")
    @Size(max = 1024)
    private String nextStep;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public Severity getSeverity() {
        return severity;
    }

    public void setSeverity(Severity severity) {
        this.severity = severity;
    }

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public Integer getPid() {
        return pid;
    }

    public void setPid(Integer pid) {
        this.pid = pid;
    }

    public String getComm() {
        return comm;
    }

    public void setComm(String comm) {
        this.comm = comm;
    }

    public String getContainerId() {
        return containerId;
    }

    public void setContainerId(String containerId) {
        this.containerId = containerId;
    }

    public String getPodUid() {
        return podUid;
    }

    public void setPodUid(String podUid) {
        this.podUid = podUid;
    }

    public String getPod() {
        return pod;
    }

    public void setPod(String pod) {
        this.pod = pod;
    }

    public String getNetns() {
        return netns;
    }

    public void setNetns(String netns) {
        this.netns = netns;
    }

    public Long getAgeSeconds() {
        return ageSeconds;
    }

    public void setAgeSeconds(Long ageSeconds) {
        this.ageSeconds = ageSeconds;
    }

    public String getAgeBasis() {
        return ageBasis;
    }

    public void setAgeBasis(String ageBasis) {
        this.ageBasis = ageBasis;
    }

    public List<FindingHolder> getHolders() {
        return holders;
    }

    public void setHolders(List<FindingHolder> holders) {
        this.holders = holders;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getNextStep() {
        return nextStep;
    }

    public void setNextStep(String nextStep) {
        this.nextStep = nextStep;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NodeFinding that)) {
            return false;
        }
        return Objects.equals(type, that.type)
                && Objects.equals(severity, that.severity)
                && count == that.count
                && Objects.equals(port, that.port)
                && Objects.equals(state, that.state)
                && Objects.equals(pid, that.pid)
                && Objects.equals(comm, that.comm)
                && Objects.equals(containerId, that.containerId)
                && Objects.equals(podUid, that.podUid)
                && Objects.equals(pod, that.pod)
                && Objects.equals(netns, that.netns)
                && Objects.equals(ageSeconds, that.ageSeconds)
                && Objects.equals(ageBasis, that.ageBasis)
                && Objects.equals(holders, that.holders)
                && Objects.equals(message, that.message)
                && Objects.equals(nextStep, that.nextStep);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                type,
                severity,
                count,
                port,
                state,
                pid,
                comm,
                containerId,
                podUid,
                pod,
                netns,
                ageSeconds,
                ageBasis,
                holders,
                message,
                nextStep);
    }

    @Override
    public String toString() {
        return "NodeFinding{"
                + "type=" + type
                + ", severity=" + severity
                + ", count=" + count
                + ", port=" + port
                + ", state=" + state
                + ", pid=" + pid
                + ", comm=" + comm
                + ", containerId=" + containerId
                + ", podUid=" + podUid
                + ", pod=" + pod
                + ", netns=" + netns
                + ", ageSeconds=" + ageSeconds
                + ", ageBasis=" + ageBasis
                + ", holders=" + holders
                + ", message=" + message
                + ", nextStep=" + nextStep
                + "}";
    }
}
