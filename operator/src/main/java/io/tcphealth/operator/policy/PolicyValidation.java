package io.tcphealth.operator.policy;

import io.tcphealth.api.v1alpha1.GoDuration;
import io.tcphealth.api.v1alpha1.Remediation;
import io.tcphealth.api.v1alpha1.TcpHealthPolicy;
import io.tcphealth.api.v1alpha1.TcpHealthPolicySpec;
import io.tcphealth.api.v1alpha1.Thresholds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator cannot honour in a policy the schema accepted. A policy with problems is not applied to
 * any node (never half-applied) and reports them in its Degraded condition.
 */
public final class PolicyValidation {

  static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
  static final Duration MAX_INTERVAL = Duration.ofHours(1);

  private PolicyValidation() {
  }

  /** Problems, one sentence each naming the field; empty when the policy can be applied. */
  public static List<String> problems(TcpHealthPolicy policy) {
    List<String> problems = new ArrayList<>();
    TcpHealthPolicySpec spec = policy.getSpec();
    if (spec == null) {
      problems.add("spec is missing");
      return problems;
    }
    problems.addAll(NodeSelection.problems(spec.getNodeSelector()));
    // CEL duration rules are enforced only by API servers that evaluate them; check again here.
    duration("interval", spec.getInterval(), MIN_INTERVAL, MAX_INTERVAL, problems);
    Thresholds thresholds = spec.getThresholds();
    if (thresholds != null) {
      duration("thresholds.stuckAfter", thresholds.getStuckAfter(), Duration.ZERO, Duration.ofHours(24), problems);
      if (thresholds.getOrphanRatioWarning() != null && thresholds.getOrphanRatioCritical() != null
          && thresholds.getOrphanRatioWarning() >= thresholds.getOrphanRatioCritical()) {
        problems.add("thresholds.orphanRatioWarning " + thresholds.getOrphanRatioWarning()
            + " must be below thresholds.orphanRatioCritical " + thresholds.getOrphanRatioCritical());
      }
    }
    Remediation remediation = spec.getRemediation();
    if (remediation != null) {
      if (remediation.getKillSockets() != null) {
        if (remediation.getKillSockets().getStates() == null || remediation.getKillSockets().getStates().isEmpty()) {
          problems.add("remediation.killSockets.states must name at least one state");
        }
        duration("remediation.killSockets.olderThan", remediation.getKillSockets().getOlderThan(),
            Duration.ofSeconds(30), Duration.ofDays(7), problems);
      }
      if (remediation.getFlushOrphans() != null) {
        duration("remediation.flushOrphans.maxDuration", remediation.getFlushOrphans().getMaxDuration(),
            Duration.ofMillis(1), Duration.ofSeconds(60), problems);
        duration("remediation.flushOrphans.cooldown", remediation.getFlushOrphans().getCooldown(),
            Duration.ofMinutes(1), Duration.ofDays(7), problems);
      }
      if (remediation.getZombies() != null) {
        duration("remediation.zombies.olderThan", remediation.getZombies().getOlderThan(),
            Duration.ofSeconds(10), Duration.ofDays(7), problems);
      }
    }
    return problems;
  }

  /** The policy's scan interval, or the default 30s when unset. Call only on a policy without problems. */
  public static Duration interval(TcpHealthPolicySpec spec) {
    return spec == null || spec.getInterval() == null ? Duration.ofSeconds(30) : GoDuration.parse(spec.getInterval());
  }

  private static void duration(String field, String text, Duration least, Duration most, List<String> problems) {
    if (text == null) {
      return;
    }
    try {
      Duration value = GoDuration.parse(text);
      if (value.compareTo(least) < 0 || value.compareTo(most) > 0) {
        problems.add(field + ": " + text + " is outside " + human(least) + " to " + human(most));
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      problems.add(field + ": '" + text + "' is not a duration such as 30s, 5m or 1h");
    }
  }

  private static String human(Duration duration) {
    return duration.toMillis() < 1000 ? duration.toMillis() + "ms" : duration.toSeconds() + "s";
  }
}
