package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = CelRules.ORPHAN_RATIOS_ORDERED,
        message = "orphanRatioWarning must be lower than orphanRatioCritical")
@ValidationRule(
        value = CelRules.EPHEMERAL_PORT_RATIOS_ORDERED,
        message = "ephemeralPortRatioWarning must be lower than ephemeralPortRatioCritical")
public class Thresholds {

    @JsonPropertyDescription("CLOSE_WAIT sockets one process may hold before it is reported as a CloseWaitLeak. "
            + "Unset: " + PolicyDefaults.CLOSE_WAIT_PER_PROCESS + ".")
    @Min(1)
    @Max(1000000)
    private Integer closeWaitPerProcess;

    @JsonPropertyDescription("FIN_WAIT1 sockets on a node (summed over the scanned network namespaces) before "
            + "they are reported as FinWait1Stuck. Unset: " + PolicyDefaults.FIN_WAIT1 + ".")
    @Min(1)
    @Max(10000000)
    private Integer finWait1;

    @JsonPropertyDescription("Orphaned sockets as a fraction of net.ipv4.tcp_max_orphans that raise an "
            + "OrphanPressure warning (above 0, at most 1; unset: " + PolicyDefaults.ORPHAN_RATIO_WARNING
            + "). The kernel "
            + "drops orphans, and logs 'too many orphaned sockets', at the limit.")
    @Min(value = 0, inclusive = false)
    @Max(1)
    private Double orphanRatioWarning;

    @JsonPropertyDescription("Orphaned sockets as a fraction of net.ipv4.tcp_max_orphans that make "
            + "OrphanPressure critical (0-1; unset: " + PolicyDefaults.ORPHAN_RATIO_CRITICAL
            + "); above orphanRatioWarning.")
    @Min(0)
    @Max(1)
    private Double orphanRatioCritical;

    @JsonPropertyDescription("Unread bytes in a socket's receive queue (Recv-Q) that, held for stuckAfter, "
            + "mark its owner as no longer reading (UnreadReceiveQueue). Unset: " + PolicyDefaults.RECV_QUEUE_BYTES
            + ".")
    @Min(1)
    @Max(2147483647)
    private Long recvQueueBytes;

    @JsonPropertyDescription("Zombie children one parent may leave unreaped before ZombieProcesses is reported. "
            + "Unset: " + PolicyDefaults.ZOMBIES_PER_PARENT + ".")
    @Min(1)
    @Max(100000)
    private Integer zombiesPerParent;

    @JsonPropertyDescription("How long a socket must stay in the same bad state (or a queue stay unread) before "
            + "it counts as stuck, as a duration such as 5m. More than 0s, shorter than a day. Unset: "
            + PolicyDefaults.STUCK_AFTER + ".")
    @Pattern(GoDuration.PATTERN)
    @Size(max = GoDuration.MAX_LENGTH)
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) > duration('0s') && duration(self) < duration('24h')",
            message = "stuckAfter must be more than 0s and shorter than a day")
    private String stuckAfter;

    @JsonPropertyDescription(
            "Connections from one network namespace to one destination (address and port), TIME_WAIT included, as a "
                    + "fraction of that namespace's net.ipv4.ip_local_port_range, that raise an EphemeralPortExhaustion warning (above 0, at most 1). "
                    + "When none is left, connect() fails with 'cannot assign requested address'. "
                    + "Unset: " + PolicyDefaults.EPHEMERAL_PORT_RATIO_WARNING + ".")
    @Min(value = 0, inclusive = false)
    @Max(1)
    private Double ephemeralPortRatioWarning;

    @JsonPropertyDescription(
            "The same fraction that makes EphemeralPortExhaustion critical (0-1); above ephemeralPortRatioWarning. "
                    + "Unset: " + PolicyDefaults.EPHEMERAL_PORT_RATIO_CRITICAL + ".")
    @Min(0)
    @Max(1)
    private Double ephemeralPortRatioCritical;

    @JsonPropertyDescription(
            "Rise of a network namespace's ListenOverflows counter (/proc/net/netstat) between two scans that makes "
                    + "ListenQueueOverflow critical: clients whose handshakes were dropped because an accept queue was full. "
                    + "Unset: " + PolicyDefaults.LISTEN_OVERFLOWS_PER_SCAN + ".")
    @Min(1)
    @Max(1000000000)
    private Long listenOverflowsPerScan;

    @JsonPropertyDescription(
            "Retransmission timeouts in a row, with nothing acknowledged, after which an ESTABLISHED connection is "
                    + "reported as a StalledConnection. The kernel gives up after net.ipv4.tcp_retries2 of them (15: about 15 minutes). "
                    + "Unset: " + PolicyDefaults.STALLED_RETRANSMITS + ".")
    @Min(1)
    @Max(100)
    private Integer stalledRetransmits;

    @JsonPropertyDescription("Unanswered zero-window probes after which a sender whose receiver is not on this node is "
            + "reported as a ZeroWindowStall (a receiver on the node is found by its connection and graded by how long its "
            + "queue stays unread, against stuckAfter). Unset: " + PolicyDefaults.ZERO_WINDOW_PROBES + ".")
    @Min(1)
    @Max(1000)
    private Integer zeroWindowProbes;

    @JsonPropertyDescription(
            "TCP memory in use (the mem figure of /proc/net/sockstat, host-wide) as a fraction of tcp_mem's pressure "
                    + "threshold (its middle value) that raises a TcpMemoryPressure warning (above 0, at most 1); at the threshold itself the kernel "
                    + "shrinks buffers and the finding is critical. Unset: " + PolicyDefaults.TCP_MEMORY_RATIO_WARNING
                    + ".")
    @Min(value = 0, inclusive = false)
    @Max(1)
    private Double tcpMemoryRatioWarning;

    @JsonPropertyDescription("How long an ESTABLISHED connection with empty queues and no keepalive may go without "
            + "hearing from its peer (the kernel's time since data or an acknowledgement last arrived) before it is "
            + "reported as IdleWithoutKeepalive: a NAT, firewall or load balancer that forgets an idle flow cuts it "
            + "without either end noticing. Set it below your middleboxes' idle timeout. At least 1s, at most a week. "
            + "Unset: " + PolicyDefaults.IDLE_WITHOUT_KEEPALIVE_AFTER + ".")
    @Pattern(GoDuration.PATTERN)
    @Size(max = GoDuration.MAX_LENGTH)
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) >= duration('1s') && duration(self) <= duration('168h')",
            message = "idleWithoutKeepaliveAfter must be at least 1s and at most a week")
    private String idleWithoutKeepaliveAfter;

    public Integer getCloseWaitPerProcess() {
        return closeWaitPerProcess;
    }

    public void setCloseWaitPerProcess(Integer closeWaitPerProcess) {
        this.closeWaitPerProcess = closeWaitPerProcess;
    }

    public Integer getFinWait1() {
        return finWait1;
    }

    public void setFinWait1(Integer finWait1) {
        this.finWait1 = finWait1;
    }

    public Double getOrphanRatioWarning() {
        return orphanRatioWarning;
    }

    public void setOrphanRatioWarning(Double orphanRatioWarning) {
        this.orphanRatioWarning = orphanRatioWarning;
    }

    public Double getOrphanRatioCritical() {
        return orphanRatioCritical;
    }

    public void setOrphanRatioCritical(Double orphanRatioCritical) {
        this.orphanRatioCritical = orphanRatioCritical;
    }

    public Long getRecvQueueBytes() {
        return recvQueueBytes;
    }

    public void setRecvQueueBytes(Long recvQueueBytes) {
        this.recvQueueBytes = recvQueueBytes;
    }

    public Integer getZombiesPerParent() {
        return zombiesPerParent;
    }

    public void setZombiesPerParent(Integer zombiesPerParent) {
        this.zombiesPerParent = zombiesPerParent;
    }

    public String getStuckAfter() {
        return stuckAfter;
    }

    public void setStuckAfter(String stuckAfter) {
        this.stuckAfter = stuckAfter;
    }

    public Double getEphemeralPortRatioWarning() {
        return ephemeralPortRatioWarning;
    }

    public void setEphemeralPortRatioWarning(Double ephemeralPortRatioWarning) {
        this.ephemeralPortRatioWarning = ephemeralPortRatioWarning;
    }

    public Double getEphemeralPortRatioCritical() {
        return ephemeralPortRatioCritical;
    }

    public void setEphemeralPortRatioCritical(Double ephemeralPortRatioCritical) {
        this.ephemeralPortRatioCritical = ephemeralPortRatioCritical;
    }

    public Long getListenOverflowsPerScan() {
        return listenOverflowsPerScan;
    }

    public void setListenOverflowsPerScan(Long listenOverflowsPerScan) {
        this.listenOverflowsPerScan = listenOverflowsPerScan;
    }

    public Integer getStalledRetransmits() {
        return stalledRetransmits;
    }

    public void setStalledRetransmits(Integer stalledRetransmits) {
        this.stalledRetransmits = stalledRetransmits;
    }

    public Integer getZeroWindowProbes() {
        return zeroWindowProbes;
    }

    public void setZeroWindowProbes(Integer zeroWindowProbes) {
        this.zeroWindowProbes = zeroWindowProbes;
    }

    public Double getTcpMemoryRatioWarning() {
        return tcpMemoryRatioWarning;
    }

    public void setTcpMemoryRatioWarning(Double tcpMemoryRatioWarning) {
        this.tcpMemoryRatioWarning = tcpMemoryRatioWarning;
    }

    public String getIdleWithoutKeepaliveAfter() {
        return idleWithoutKeepaliveAfter;
    }

    public void setIdleWithoutKeepaliveAfter(String idleWithoutKeepaliveAfter) {
        this.idleWithoutKeepaliveAfter = idleWithoutKeepaliveAfter;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Thresholds that)) {
            return false;
        }
        return Objects.equals(closeWaitPerProcess, that.closeWaitPerProcess)
                && Objects.equals(finWait1, that.finWait1)
                && Objects.equals(orphanRatioWarning, that.orphanRatioWarning)
                && Objects.equals(orphanRatioCritical, that.orphanRatioCritical)
                && Objects.equals(recvQueueBytes, that.recvQueueBytes)
                && Objects.equals(zombiesPerParent, that.zombiesPerParent)
                && Objects.equals(stuckAfter, that.stuckAfter)
                && Objects.equals(ephemeralPortRatioWarning, that.ephemeralPortRatioWarning)
                && Objects.equals(ephemeralPortRatioCritical, that.ephemeralPortRatioCritical)
                && Objects.equals(listenOverflowsPerScan, that.listenOverflowsPerScan)
                && Objects.equals(stalledRetransmits, that.stalledRetransmits)
                && Objects.equals(zeroWindowProbes, that.zeroWindowProbes)
                && Objects.equals(tcpMemoryRatioWarning, that.tcpMemoryRatioWarning)
                && Objects.equals(idleWithoutKeepaliveAfter, that.idleWithoutKeepaliveAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                closeWaitPerProcess,
                finWait1,
                orphanRatioWarning,
                orphanRatioCritical,
                recvQueueBytes,
                zombiesPerParent,
                stuckAfter,
                ephemeralPortRatioWarning,
                ephemeralPortRatioCritical,
                listenOverflowsPerScan,
                stalledRetransmits,
                zeroWindowProbes,
                tcpMemoryRatioWarning,
                idleWithoutKeepaliveAfter);
    }

    @Override
    public String toString() {
        return "Thresholds{"
                + "closeWaitPerProcess=" + closeWaitPerProcess
                + ", finWait1=" + finWait1
                + ", orphanRatioWarning=" + orphanRatioWarning
                + ", orphanRatioCritical=" + orphanRatioCritical
                + ", recvQueueBytes=" + recvQueueBytes
                + ", zombiesPerParent=" + zombiesPerParent
                + ", stuckAfter=" + stuckAfter
                + ", ephemeralPortRatioWarning=" + ephemeralPortRatioWarning
                + ", ephemeralPortRatioCritical=" + ephemeralPortRatioCritical
                + ", listenOverflowsPerScan=" + listenOverflowsPerScan
                + ", stalledRetransmits=" + stalledRetransmits
                + ", zeroWindowProbes=" + zeroWindowProbes
                + ", tcpMemoryRatioWarning=" + tcpMemoryRatioWarning
                + ", idleWithoutKeepaliveAfter=" + idleWithoutKeepaliveAfter
                + "}";
    }
}
