package io.tcphealth.agent.cluster;

import io.tcphealth.agent.metrics.ApiCalls;
import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Writes the node's status only when it says something new ({@link StatusChange}) or the heartbeat is due,
 * within the agent's request budget. Only the latest status waits to be written: while the API server is
 * unreachable each new round replaces the one before, so after it returns exactly one write carries the
 * newest state. Failures back off exponentially with jitter and never leave this class: the agent keeps
 * scanning (and enforcing) whatever the API does.
 */
public final class StatusPublisher {
    /** What one {@link #publish()} did. */
    public enum Outcome {
        WRITTEN,
        UNCHANGED,
        BACKING_OFF,
        RATE_LIMITED,
        FAILED,
        NOTHING
    }

    private final NodeStatusWriter writer;
    private final TokenBucket bucket;
    private final Backoff backoff;
    private final StatusChange change = new StatusChange();
    private final Clock clock;
    private final Duration heartbeat;
    private final ApiCalls calls;
    private final Consumer<String> log;

    private TcpHealthNodeStatus pending;
    private TcpHealthNodeStatus written;
    private Instant writtenAt;
    private Instant retryAt = Instant.MIN;
    private String lastError;

    public StatusPublisher(
            NodeStatusWriter writer,
            TokenBucket bucket,
            Backoff backoff,
            Clock clock,
            Duration heartbeat,
            ApiCalls calls,
            Consumer<String> log) {
        this.writer = writer;
        this.bucket = bucket;
        this.backoff = backoff;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.calls = calls;
        this.log = log;
    }

    /** The newest status; replaces one that has not been written yet. */
    public synchronized void offer(TcpHealthNodeStatus status) {
        pending = status;
    }

    /** The status last written, or null before the first write. */
    public synchronized TcpHealthNodeStatus written() {
        return written;
    }

    /** Writes the pending status if it is news or the heartbeat is due, the backoff has passed and a token is there. */
    public synchronized Outcome publish() {
        if (pending == null) {
            return Outcome.NOTHING;
        }
        Instant now = clock.instant();
        boolean heartbeatDue = writtenAt == null || !now.isBefore(writtenAt.plus(heartbeat));
        if (!heartbeatDue && !change.material(written, pending)) {
            return Outcome.UNCHANGED;
        }
        if (now.isBefore(retryAt)) {
            calls.deferred("status");
            return Outcome.BACKING_OFF;
        }
        if (!bucket.tryAcquire()) {
            calls.deferred("status");
            return Outcome.RATE_LIMITED;
        }
        TcpHealthNodeStatus toWrite = pending;
        toWrite.setHeartbeat(
                now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        try {
            writer.write(toWrite);
        } catch (RuntimeException e) {
            Duration wait = backoff.failed();
            retryAt = now.plus(wait);
            calls.failed("status");
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!error.equals(lastError) || backoff.failures() == 1) {
                log.accept("Writing the TcpHealthNode status failed (" + backoff.failures() + " in a row), retrying in "
                        + wait.toMillis() + " ms: " + error);
            }
            lastError = error;
            return Outcome.FAILED;
        }
        if (backoff.failures() > 0) {
            log.accept("Wrote the TcpHealthNode status again after " + backoff.failures() + " failed attempts");
        }
        backoff.succeeded();
        lastError = null;
        calls.succeeded("status");
        written = toWrite;
        writtenAt = now;
        pending = null;
        return Outcome.WRITTEN;
    }

    /** Whether the last write attempt failed (the API is unreachable or refusing). */
    public synchronized boolean failing() {
        return backoff.failures() > 0;
    }
}
