package io.tcphealth.agent.cluster;

import java.util.function.LongSupplier;

/**
 * The agent's own limit on API requests: {@code perSecond} on average with bursts of {@code burst}, so one
 * agent can never flood the API server whatever happens on its node. Thread-safe.
 */
public final class TokenBucket {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}, or a test's) */
    public TokenBucket(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("A token bucket needs a positive rate and a burst of at least 1");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /** Takes a token when one is there; never waits. */
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /** Takes {@code n} tokens when all are there, else none; never waits. */
    public synchronized boolean tryAcquire(int n) {
        refill();
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** Waits for a token (at most {@code maxWaitNanos}); false when none came in time. */
    public boolean acquire(long maxWaitNanos) throws InterruptedException {
        long deadline = nanoTime.getAsLong() + maxWaitNanos;
        while (true) {
            long wait;
            synchronized (this) {
                refill();
                if (tokens >= 1) {
                    tokens -= 1;
                    return true;
                }
                wait = (long) Math.ceil((1 - tokens) / perNano);
            }
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0 || wait > left) {
                return false;
            }
            Thread.sleep(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
        }
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
    }
}
