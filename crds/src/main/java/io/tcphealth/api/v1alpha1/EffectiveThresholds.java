package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** {@link Thresholds} after merging; unset entries mean no policy set them and the agent's defaults apply. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EffectiveThresholds {

    @JsonPropertyDescription("CLOSE_WAIT sockets per process before CloseWaitLeak.")
    private Sourced<Integer> closeWaitPerProcess;

    @JsonPropertyDescription("FIN_WAIT1 sockets before FinWait1Stuck.")
    private Sourced<Integer> finWait1;

    @JsonPropertyDescription("Orphan ratio of tcp_max_orphans for a warning.")
    private Sourced<Double> orphanRatioWarning;

    @JsonPropertyDescription("Orphan ratio of tcp_max_orphans for a critical finding.")
    private Sourced<Double> orphanRatioCritical;

    @JsonPropertyDescription("Unread receive-queue bytes before UnreadReceiveQueue.")
    private Sourced<Long> recvQueueBytes;

    @JsonPropertyDescription("Unreaped zombies per parent before ZombieProcesses.")
    private Sourced<Integer> zombiesPerParent;

    @JsonPropertyDescription("How long a state must last to count as stuck.")
    private Sourced<String> stuckAfter;

    @JsonPropertyDescription(
            "Share of the local port range one destination may use before " + "EphemeralPortExhaustion is a warning.")
    private Sourced<Double> ephemeralPortRatioWarning;

    @JsonPropertyDescription("Share of the local port range that makes EphemeralPortExhaustion critical.")
    private Sourced<Double> ephemeralPortRatioCritical;

    @JsonPropertyDescription("ListenOverflows rise between scans that makes ListenQueueOverflow critical.")
    private Sourced<Long> listenOverflowsPerScan;

    @JsonPropertyDescription("Retransmission timeouts in a row before StalledConnection.")
    private Sourced<Integer> stalledRetransmits;

    @JsonPropertyDescription("Zero-window probes before ZeroWindowStall.")
    private Sourced<Integer> zeroWindowProbes;

    @JsonPropertyDescription("TCP memory as a share of tcp_mem's pressure threshold for a TcpMemoryPressure warning.")
    private Sourced<Double> tcpMemoryRatioWarning;

    @JsonPropertyDescription("Silence from the peer of a connection without keepalive before IdleWithoutKeepalive.")
    private Sourced<String> idleWithoutKeepaliveAfter;

    public Sourced<Integer> getCloseWaitPerProcess() {
        return closeWaitPerProcess;
    }

    public void setCloseWaitPerProcess(Sourced<Integer> closeWaitPerProcess) {
        this.closeWaitPerProcess = closeWaitPerProcess;
    }

    public Sourced<Integer> getFinWait1() {
        return finWait1;
    }

    public void setFinWait1(Sourced<Integer> finWait1) {
        this.finWait1 = finWait1;
    }

    public Sourced<Double> getOrphanRatioWarning() {
        return orphanRatioWarning;
    }

    public void setOrphanRatioWarning(Sourced<Double> orphanRatioWarning) {
        this.orphanRatioWarning = orphanRatioWarning;
    }

    public Sourced<Double> getOrphanRatioCritical() {
        return orphanRatioCritical;
    }

    public void setOrphanRatioCritical(Sourced<Double> orphanRatioCritical) {
        this.orphanRatioCritical = orphanRatioCritical;
    }

    public Sourced<Long> getRecvQueueBytes() {
        return recvQueueBytes;
    }

    public void setRecvQueueBytes(Sourced<Long> recvQueueBytes) {
        this.recvQueueBytes = recvQueueBytes;
    }

    public Sourced<Integer> getZombiesPerParent() {
        return zombiesPerParent;
    }

    public void setZombiesPerParent(Sourced<Integer> zombiesPerParent) {
        this.zombiesPerParent = zombiesPerParent;
    }

    public Sourced<String> getStuckAfter() {
        return stuckAfter;
    }

    public void setStuckAfter(Sourced<String> stuckAfter) {
        this.stuckAfter = stuckAfter;
    }

    public Sourced<Double> getEphemeralPortRatioWarning() {
        return ephemeralPortRatioWarning;
    }

    public void setEphemeralPortRatioWarning(Sourced<Double> ephemeralPortRatioWarning) {
        this.ephemeralPortRatioWarning = ephemeralPortRatioWarning;
    }

    public Sourced<Double> getEphemeralPortRatioCritical() {
        return ephemeralPortRatioCritical;
    }

    public void setEphemeralPortRatioCritical(Sourced<Double> ephemeralPortRatioCritical) {
        this.ephemeralPortRatioCritical = ephemeralPortRatioCritical;
    }

    public Sourced<Long> getListenOverflowsPerScan() {
        return listenOverflowsPerScan;
    }

    public void setListenOverflowsPerScan(Sourced<Long> listenOverflowsPerScan) {
        this.listenOverflowsPerScan = listenOverflowsPerScan;
    }

    public Sourced<Integer> getStalledRetransmits() {
        return stalledRetransmits;
    }

    public void setStalledRetransmits(Sourced<Integer> stalledRetransmits) {
        this.stalledRetransmits = stalledRetransmits;
    }

    public Sourced<Integer> getZeroWindowProbes() {
        return zeroWindowProbes;
    }

    public void setZeroWindowProbes(Sourced<Integer> zeroWindowProbes) {
        this.zeroWindowProbes = zeroWindowProbes;
    }

    public Sourced<Double> getTcpMemoryRatioWarning() {
        return tcpMemoryRatioWarning;
    }

    public void setTcpMemoryRatioWarning(Sourced<Double> tcpMemoryRatioWarning) {
        this.tcpMemoryRatioWarning = tcpMemoryRatioWarning;
    }

    public Sourced<String> getIdleWithoutKeepaliveAfter() {
        return idleWithoutKeepaliveAfter;
    }

    public void setIdleWithoutKeepaliveAfter(Sourced<String> idleWithoutKeepaliveAfter) {
        this.idleWithoutKeepaliveAfter = idleWithoutKeepaliveAfter;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EffectiveThresholds that)) {
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
        return "EffectiveThresholds{"
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
