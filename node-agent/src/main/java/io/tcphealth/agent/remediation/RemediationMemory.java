package io.tcphealth.agent.remediation;

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
    String killUnavailable;
    Instant lastPulse;

    /** Why sockets cannot be destroyed here (no kernel support, no permission), or null. */
    public String killUnavailable() {
        return killUnavailable;
    }

    public void pulseStartedAt(Instant when) {
        if (lastPulse == null || when.isAfter(lastPulse)) {
            lastPulse = when;
        }
    }
}
