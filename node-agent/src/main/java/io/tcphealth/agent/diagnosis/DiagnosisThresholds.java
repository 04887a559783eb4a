package io.tcphealth.agent.diagnosis;

import io.tcphealth.api.v1alpha1.GoDuration;
import io.tcphealth.api.v1alpha1.PolicyDefaults;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;

/**
 * When a symptom becomes a warning. Critical is a fixed multiple of the warning level (see each
 * detector), except for orphans, which have their own critical ratio.
 *
 * @param closeWaitPerProcess CLOSE_WAIT sockets one process may hold before it is a leak
 * @param finWait1            FIN_WAIT1 sockets on one node before they are a problem
 * @param orphanRatioWarning  orphans / {@code tcp_max_orphans} for a warning
 * @param orphanRatioCritical orphans / {@code tcp_max_orphans} for a critical finding
 * @param recvQueueBytes      unread bytes on one socket before its owner counts as not reading
 * @param zombiesPerParent    zombies under one parent before it counts as not reaping
 * @param stuckAfter          how long a socket may stay in CLOSE_WAIT or FIN_WAIT1 before it is stuck
 * @param fdUsageWarning      open fds / soft limit for a warning
 * @param fdUsageCritical     open fds / soft limit for a critical finding
 * @param connections         thresholds of the connection-level findings (ports, listeners, stalls, memory)
 */
public record DiagnosisThresholds(
        long closeWaitPerProcess,
        long finWait1,
        double orphanRatioWarning,
        double orphanRatioCritical,
        long recvQueueBytes,
        long zombiesPerParent,
        Duration stuckAfter,
        double fdUsageWarning,
        double fdUsageCritical,
        ConnectionThresholds connections) {

    /** How many times the warning level makes a count critical. */
    public static final int CRITICAL_MULTIPLE = 5;

    /** The policy's defaults; the fd ratios are not policy fields. */
    public static final DiagnosisThresholds DEFAULTS = new DiagnosisThresholds(
            PolicyDefaults.CLOSE_WAIT_PER_PROCESS,
            PolicyDefaults.FIN_WAIT1,
            PolicyDefaults.ORPHAN_RATIO_WARNING,
            PolicyDefaults.ORPHAN_RATIO_CRITICAL,
            PolicyDefaults.RECV_QUEUE_BYTES,
            PolicyDefaults.ZOMBIES_PER_PARENT,
            GoDuration.parse(PolicyDefaults.STUCK_AFTER),
            0.8,
            0.95);

    /** The connection-level thresholds at their defaults. */
    public DiagnosisThresholds(
            long closeWaitPerProcess,
            long finWait1,
            double orphanRatioWarning,
            double orphanRatioCritical,
            long recvQueueBytes,
            long zombiesPerParent,
            Duration stuckAfter,
            double fdUsageWarning,
            double fdUsageCritical) {
        this(
                closeWaitPerProcess,
                finWait1,
                orphanRatioWarning,
                orphanRatioCritical,
                recvQueueBytes,
                zombiesPerParent,
                stuckAfter,
                fdUsageWarning,
                fdUsageCritical,
                ConnectionThresholds.DEFAULTS);
    }

    public DiagnosisThresholds withConnections(ConnectionThresholds c) {
        return new DiagnosisThresholds(
                closeWaitPerProcess,
                finWait1,
                orphanRatioWarning,
                orphanRatioCritical,
                recvQueueBytes,
                zombiesPerParent,
                stuckAfter,
                fdUsageWarning,
                fdUsageCritical,
                c);
    }

    public DiagnosisThresholds {
        if (closeWaitPerProcess < 1 || finWait1 < 1 || recvQueueBytes < 1 || zombiesPerParent < 1) {
            throw new IllegalArgumentException("Count thresholds must be at least 1");
        }
        if (!(orphanRatioWarning > 0 && orphanRatioWarning < orphanRatioCritical && orphanRatioCritical <= 1)) {
            throw new IllegalArgumentException("Orphan ratios must satisfy 0 < warning < critical <= 1, got "
                    + orphanRatioWarning + " and " + orphanRatioCritical);
        }
        if (!(fdUsageWarning > 0 && fdUsageWarning < fdUsageCritical && fdUsageCritical <= 1)) {
            throw new IllegalArgumentException("Fd usage ratios must satisfy 0 < warning < critical <= 1");
        }
        if (stuckAfter == null || stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("stuckAfter must be a positive duration");
        }
        if (connections == null) {
            connections = ConnectionThresholds.DEFAULTS;
        }
    }

    /** Warning at or above the threshold, critical at {@link #CRITICAL_MULTIPLE} times it, else info. */
    static Severity byCount(long count, long warningAt) {
        if (count >= warningAt * CRITICAL_MULTIPLE) {
            return Severity.Critical;
        }
        return count >= warningAt ? Severity.Warning : Severity.Info;
    }
}
