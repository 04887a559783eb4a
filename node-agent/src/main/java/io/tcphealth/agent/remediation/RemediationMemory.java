package io.tcphealth.agent.remediation;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What remediation remembers between rounds of one agent process: sockets it destroyed (seen again,
 * they show destruction did not free them), whether the kernel can destroy sockets at all, the last
 * orphan pulse, and when each parent was last signalled.
 */
public final class RemediationMemory {
    final Set<SocketRef> destroyed = new HashSet<>();
    final Map<String, Instant> signalled = new HashMap<>();
    /** SIGCHLDs sent to each parent that still had zombies at the next look: the wait doubles with each. */
    final Map<String, Integer> signals = new HashMap<>();

    String killUnavailable;
    Instant lastPulse;

    /** Why sockets cannot be destroyed here (no kernel support, no permission), or null. */
    public String killUnavailable() {
        return killUnavailable;
    }

    /** The most a non-reaping parent waits between two SIGCHLDs: 64 times the policy's olderThan. */
    static final int MAX_BACKOFF_DOUBLINGS = 6;

    /**
     * How long to wait after the last SIGCHLD to a parent before the next: {@code olderThan} after the first, then
     * twice as long after each one the parent did not answer by reaping, up to 64 times. A parent that does not
     * reap once rarely reaps on the tenth signal, and each signal is a line in the journal and the log.
     */
    static Duration signalBackoff(Duration olderThan, int sent) {
        int doublings = Math.max(0, Math.min(MAX_BACKOFF_DOUBLINGS, sent - 1));
        return olderThan.multipliedBy(1L << doublings);
    }

    public void pulseStartedAt(Instant when) {
        if (lastPulse == null || when.isAfter(lastPulse)) {
            lastPulse = when;
        }
    }
}
