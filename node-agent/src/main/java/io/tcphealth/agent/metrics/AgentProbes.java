package io.tcphealth.agent.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness from the agent's own loop, never from the API server: an API outage must not get
 * healthy agents restarted (they keep scanning and enforcing). Live while the loop thread runs and has made
 * progress within three scan intervals plus a grace; ready once the first scan finished.
 */
public final class AgentProbes {
    private final Clock clock;
    private final Duration grace;
    private final BooleanSupplier loopAlive;
    private volatile Instant progress;
    private volatile Duration interval = Duration.ofSeconds(30);
    private volatile boolean scanned;

    public AgentProbes(Clock clock, Duration grace, BooleanSupplier loopAlive) {
        this.clock = clock;
        this.grace = grace;
        this.loopAlive = loopAlive;
        this.progress = clock.instant();
    }

    /** The loop finished a round (or waited out an interval) at the current interval. */
    public void progressed(Duration currentInterval) {
        interval = currentInterval;
        progress = clock.instant();
    }

    public void scanned(Duration currentInterval) {
        scanned = true;
        progressed(currentInterval);
    }

    public boolean live() {
        return loopAlive.getAsBoolean()
                && !clock.instant()
                        .isAfter(progress.plus(interval.multipliedBy(3)).plus(grace));
    }

    public boolean ready() {
        return scanned && live();
    }

    /** One line for the probe's body. */
    public String describe() {
        return "last progress " + progress + ", interval " + interval.toSeconds() + "s, first scan "
                + (scanned ? "done" : "pending");
    }
}
