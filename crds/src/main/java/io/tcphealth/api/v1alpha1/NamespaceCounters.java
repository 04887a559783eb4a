package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** How one network namespace's own TCP counters rose between the agent's last two scans. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceCounters {

    @JsonPropertyDescription("The network namespace: host, or netns:[inode] for a pod's.")
    private String netns;

    @JsonPropertyDescription("UID of the pod whose processes live in the namespace, when known.")
    private String podUid;

    @JsonPropertyDescription("namespace/name of that pod, when the agent knows it.")
    private String pod;

    @JsonPropertyDescription("Seconds between the two readings.")
    private Long seconds;

    @JsonPropertyDescription("Counters that rose, by name (listen_overflows, listen_drops, time_wait_overflow, "
            + "memory_pressures, abort_on_memory, abort_on_timeout, timeouts, to_zero_window_adv, zero_window_drop, "
            + "retrans_segs, attempt_fails, estab_resets, out_rsts), with how much. Read inside the namespace from "
            + "/proc/net/netstat and /proc/net/snmp, which each namespace keeps for itself.")
    @Size(max = 32)
    private Map<String, Long> increase = new LinkedHashMap<>();

    public String getNetns() {
        return netns;
    }

    public void setNetns(String netns) {
        this.netns = netns;
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

    public Long getSeconds() {
        return seconds;
    }

    public void setSeconds(Long seconds) {
        this.seconds = seconds;
    }

    public Map<String, Long> getIncrease() {
        return increase;
    }

    public void setIncrease(Map<String, Long> increase) {
        this.increase = increase;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NamespaceCounters that)) {
            return false;
        }
        return Objects.equals(netns, that.netns)
                && Objects.equals(podUid, that.podUid)
                && Objects.equals(pod, that.pod)
                && Objects.equals(seconds, that.seconds)
                && Objects.equals(increase, that.increase);
    }

    @Override
    public int hashCode() {
        return Objects.hash(netns, podUid, pod, seconds, increase);
    }

    @Override
    public String toString() {
        return "NamespaceCounters{netns=" + netns + ", podUid=" + podUid + ", pod=" + pod + ", seconds=" + seconds
                + ", increase=" + increase + "}";
    }
}
