package io.tcphealth.agent.loop;

import io.tcphealth.agent.metrics.AgentProbes;
import io.tcphealth.agent.policy.AgentPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent loop, one for both modes: ask the policy source, put back what departing policies changed, run a round
 * (scan, diagnose, remediate), hand it to the sink, wait. A round that fails (a scan error, or anything thrown) is
 * told to the sink and the next round runs: a crash loop would stop scanning and enforcing and restart the agent
 * for nothing. On the way out, however it ends, transient changes are undone.
 */
public final class AgentLoop {
    /** Exit status: the rounds completed. */
    public static final int DONE = 0;
    /** Exit status: something the policy asked for could not be done (one round), or could not be put back. */
    public static final int NOT_DONE = 1;

    /**
     * @param subject what the log calls this agent ("node worker-1", "this host")
     * @param once    one round, then stop: the exit status says whether everything asked was done
     */
    public record Parts(
            PolicySource source,
            AgentRound round,
            RoundRemediator remediator,
            RoundSink sink,
            AgentProbes probes,
            Consumer<String> log,
            String subject,
            boolean once) {}

    private final Parts parts;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Thread loop;
    private AgentPolicy policy;
    private volatile long rounds;
    /** The exit status once the source is gone; null while it is there. */
    private Integer ended;

    /** @param initial the policy in force until the source names one (for the first pause after a failure) */
    public AgentLoop(Parts parts, AgentPolicy initial) {
        this.parts = parts;
        this.policy = initial;
    }

    /** Runs rounds until {@link #stop}, the source is gone, or after one round with {@code once}; the exit status. */
    public int run() {
        loop = Thread.currentThread();
        try {
            while (stopped.getCount() > 0) {
                Optional<Round> round = runOnce();
                if (ended != null) {
                    return ended;
                }
                if (parts.once()) {
                    return round.isPresent() && round.get().remedy().failures().isEmpty() ? DONE : NOT_DONE;
                }
                parts.probes().progressed(policy.interval());
                if (stopped.await(parts.source().pause(policy).toMillis(), TimeUnit.MILLISECONDS)) {
                    parts.log()
                            .accept("Stopping on request: the agent on " + parts.subject() + " stops between rounds");
                    break;
                }
            }
            return DONE;
        } catch (InterruptedException e) {
            parts.log()
                    .accept("Stopping on request: the agent on " + parts.subject() + " abandons the round in progress");
            return DONE;
        } finally {
            Thread.interrupted();
            try {
                parts.remediator().undoTransient();
            } catch (InterruptedException | RuntimeException e) {
                parts.log()
                        .accept("Undoing transient changes on exit did not finish (" + e
                                + "); the next start undoes them");
            }
            // Said here, before a waiting shutdown hook is released: once it returns, the JVM halts.
            parts.log().accept("Agent on " + parts.subject() + " stopped after " + rounds + " scans");
            finished.countDown();
        }
    }

    /**
     * One round; a failure is told to the sink and gives nothing, as does a source that is gone (what it changed is
     * put back then, and {@link #run} ends). Only an interrupt escapes.
     */
    public Optional<Round> runOnce() throws InterruptedException {
        try {
            PolicySource.Next next = parts.source().next();
            if (next instanceof PolicySource.Gone) {
                ended = parts.remediator().restoreEverything() ? DONE : NOT_DONE;
                return Optional.empty();
            }
            PolicySource.Act act = (PolicySource.Act) next;
            policy = act.policy();
            if (!act.departing().isEmpty()) {
                parts.remediator().restoreDeparting(act.departing());
            }
            Round round = parts.round().run(policy, act.remediate());
            rounds++;
            parts.sink().roundDone(round);
            parts.probes().scanned(policy.interval());
            return Optional.of(round);
        } catch (IOException | RuntimeException e) {
            parts.sink().roundFailed(policy, e);
            return Optional.empty();
        }
    }

    /** Asks the loop to stop (SIGTERM) and waits at most {@code grace} for it to finish and clean up. */
    public boolean stop(Duration grace) throws InterruptedException {
        stopped.countDown();
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            // Interrupting aborts a scan in progress (each namespace is read on its own thread and checks it).
            t.interrupt();
        }
        return t == null || finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the loop thread is running. */
    public boolean looping() {
        Thread t = loop;
        return t != null && t.isAlive() && finished.getCount() > 0;
    }

    public long rounds() {
        return rounds;
    }
}
