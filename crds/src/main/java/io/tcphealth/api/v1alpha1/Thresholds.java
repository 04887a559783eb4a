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
@ValidationRule(value = CelRules.ORPHAN_RATIOS_ORDERED,
    message = "orphanRatioWarning must be lower than orphanRatioCritical")
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
      + "OrphanPressure warning (above 0, at most 1; unset: " + PolicyDefaults.ORPHAN_RATIO_WARNING + "). The kernel "
      + "drops orphans, and logs 'too many orphaned sockets', at the limit.")
  @Min(value = 0, inclusive = false)
  @Max(1)
  private Double orphanRatioWarning;

  @JsonPropertyDescription("Orphaned sockets as a fraction of net.ipv4.tcp_max_orphans that make "
      + "OrphanPressure critical (0-1; unset: " + PolicyDefaults.ORPHAN_RATIO_CRITICAL + "); above orphanRatioWarning.")
  @Min(0)
  @Max(1)
  private Double orphanRatioCritical;

  @JsonPropertyDescription("Unread bytes in a socket's receive queue (Recv-Q) that, held for stuckAfter, "
      + "mark its owner as no longer reading (UnreadReceiveQueue). Unset: " + PolicyDefaults.RECV_QUEUE_BYTES + ".")
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
  @ValidationRule(value = GoDuration.RULE_GUARD + "duration(self) > duration('0s') && duration(self) < duration('24h')",
      message = "stuckAfter must be more than 0s and shorter than a day")
  private String stuckAfter;

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
        && Objects.equals(stuckAfter, that.stuckAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        closeWaitPerProcess, finWait1, orphanRatioWarning, orphanRatioCritical, recvQueueBytes, zombiesPerParent,
        stuckAfter);
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
        + "}";
  }
}
