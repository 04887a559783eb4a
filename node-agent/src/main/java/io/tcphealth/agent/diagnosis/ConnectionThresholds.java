package io.tcphealth.agent.diagnosis;

import io.tcphealth.api.v1alpha1.GoDuration;
import io.tcphealth.api.v1alpha1.PolicyDefaults;
import java.time.Duration;

/**
 * When the connection-level failures become warnings or critical.
 *
 * @param ephemeralPortRatioWarning  connections to one destination / the namespace's local port range, for a warning
 * @param ephemeralPortRatioCritical the same, for a critical finding
 * @param listenOverflowsPerScan     rise of ListenOverflows between scans that makes an overflow critical
 * @param stalledRetransmits         retransmission timeouts in a row before a connection counts as stalled
 * @param zeroWindowProbes           zero-window probes before a stall is reported
 * @param tcpMemoryRatioWarning      TCP memory / {@code tcp_mem[1]} (the pressure threshold) for a warning
 * @param idleWithoutKeepaliveAfter  silence from the peer of a quiet connection without keepalive before it is reported
 */
public record ConnectionThresholds(
        double ephemeralPortRatioWarning,
        double ephemeralPortRatioCritical,
        long listenOverflowsPerScan,
        int stalledRetransmits,
        int zeroWindowProbes,
        double tcpMemoryRatioWarning,
        Duration idleWithoutKeepaliveAfter) {

    public static final ConnectionThresholds DEFAULTS = new ConnectionThresholds(
            PolicyDefaults.EPHEMERAL_PORT_RATIO_WARNING,
            PolicyDefaults.EPHEMERAL_PORT_RATIO_CRITICAL,
            PolicyDefaults.LISTEN_OVERFLOWS_PER_SCAN,
            PolicyDefaults.STALLED_RETRANSMITS,
            PolicyDefaults.ZERO_WINDOW_PROBES,
            PolicyDefaults.TCP_MEMORY_RATIO_WARNING,
            GoDuration.parse(PolicyDefaults.IDLE_WITHOUT_KEEPALIVE_AFTER));

    public ConnectionThresholds {
        if (!(ephemeralPortRatioWarning > 0
                && ephemeralPortRatioWarning < ephemeralPortRatioCritical
                && ephemeralPortRatioCritical <= 1)) {
            throw new IllegalArgumentException("Ephemeral port ratios must satisfy 0 < warning < critical <= 1, got "
                    + ephemeralPortRatioWarning + " and " + ephemeralPortRatioCritical);
        }
        if (listenOverflowsPerScan < 1 || stalledRetransmits < 1 || zeroWindowProbes < 1) {
            throw new IllegalArgumentException("Count thresholds must be at least 1");
        }
        if (!(tcpMemoryRatioWarning > 0 && tcpMemoryRatioWarning <= 1)) {
            throw new IllegalArgumentException("tcpMemoryRatioWarning must be above 0 and at most 1");
        }
        if (idleWithoutKeepaliveAfter == null || idleWithoutKeepaliveAfter.toMillis() < 1) {
            throw new IllegalArgumentException("idleWithoutKeepaliveAfter must be a positive duration");
        }
    }
}
