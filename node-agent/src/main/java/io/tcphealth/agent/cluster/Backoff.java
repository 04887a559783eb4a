package io.tcphealth.agent.cluster;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: after the n-th failure in a row the next try waits a random time
 * between half and all of {@code min(max, initial * 2^(n-1))}. The jitter keeps thousands of agents from
 * retrying in step when the API server comes back. Not thread-safe: one publisher owns one.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;
    private int failures;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** Records a failure; returns how long to wait before the next try. */
    public Duration failed() {
        failures++;
        long ceiling = initial.toMillis();
        for (int i = 1; i < failures && ceiling < max.toMillis(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, max.toMillis());
        long half = ceiling / 2;
        return Duration.ofMillis(half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
    }

    public void succeeded() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
