package io.tcphealth.operator.fleet;

import io.tcphealth.api.v1alpha1.GoDuration;
import io.tcphealth.api.v1alpha1.PolicyDefaults;
import io.tcphealth.api.v1alpha1.TcpHealthNode;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Whether a node's agent still reports. An agent writes its status when something changed and otherwise
 * at least once per heartbeat period, so a node is stale when its newest report is older than three
 * reporting periods (the longer of scan interval and heartbeat) plus a grace.
 *
 * @param heartbeat the agents' heartbeat period
 * @param grace slack for clock skew and API latency
 */
public record NodeLiveness(Duration heartbeat, Duration grace) {

    private static final Duration DEFAULT_INTERVAL = GoDuration.parse(PolicyDefaults.INTERVAL);

    /** Whether the agent has ever written a status. */
    public static boolean reported(TcpHealthNode node) {
        return node.getStatus() != null && lastReport(node).isPresent();
    }

    /** The newest of heartbeat and last scan time, when the agent has written either. */
    public static Optional<Instant> lastReport(TcpHealthNode node) {
        TcpHealthNodeStatus status = node.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        Optional<Instant> heartbeat = instant(status.getHeartbeat());
        Optional<Instant> scan = instant(
                status.getLastScan() == null ? null : status.getLastScan().getTime());
        if (heartbeat.isEmpty()) {
            return scan;
        }
        if (scan.isEmpty()) {
            return heartbeat;
        }
        return Optional.of(heartbeat.get().isAfter(scan.get()) ? heartbeat.get() : scan.get());
    }

    /** How long a node may stay silent before it counts as stale. */
    public Duration window(TcpHealthNode node) {
        Duration interval = DEFAULT_INTERVAL;
        if (node.getSpec() != null && node.getSpec().getInterval() != null) {
            try {
                interval = GoDuration.parse(node.getSpec().getInterval().getValue());
            } catch (IllegalArgumentException e) {
                // The operator wrote this value from a validated policy; a hand-edited spec falls back to the default.
            }
        }
        Duration period = interval.compareTo(heartbeat) > 0 ? interval : heartbeat;
        return period.multipliedBy(3).plus(grace);
    }

    /**
     * Whether the node is stale at {@code now}: its last report, or, when it never reported, the creation of
     * its TcpHealthNode (an agent that never starts is as silent as one that stopped) lies beyond the window.
     */
    public boolean stale(TcpHealthNode node, Instant now) {
        Optional<Instant> since = lastReport(node);
        if (since.isEmpty()) {
            since = instant(node.getMetadata().getCreationTimestamp());
        }
        return since.isPresent() && since.get().plus(window(node)).isBefore(now);
    }

    /** When the node turns stale if nothing arrives, or empty when it never will (no time known). */
    public Optional<Instant> staleAt(TcpHealthNode node) {
        Optional<Instant> since = lastReport(node);
        if (since.isEmpty()) {
            since = instant(node.getMetadata().getCreationTimestamp());
        }
        return since.map(s -> s.plus(window(node)));
    }

    static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
