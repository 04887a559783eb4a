package io.tcphealth.operator.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces out status writes per policy: with thousands of agents reporting, a policy's counts change
 * constantly, and one write per interval carries them all. A spec change (new generation) is shown at once.
 */
public final class StatusRateLimiter {

    private final Duration minInterval;
    private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();

    public StatusRateLimiter(Duration minInterval) {
        this.minInterval = minInterval;
    }

    /** How long the policy must wait before its status may be written; zero when it may be written now. */
    public Duration wait(String policy, Instant now, boolean newGeneration) {
        Instant last = lastWrite.get(policy);
        if (newGeneration || last == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, last.plus(minInterval));
        return left.isNegative() ? Duration.ZERO : left;
    }

    public void written(String policy, Instant now) {
        lastWrite.put(policy, now);
    }

    public void forget(String policy) {
        lastWrite.remove(policy);
    }
}
