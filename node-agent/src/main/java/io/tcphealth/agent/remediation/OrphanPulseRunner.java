package io.tcphealth.agent.remediation;

import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.RemediationAction;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The orphan flush pulse from the field report. With {@code tcp_max_orphans} at 0 the kernel treats
 * every orphan as one too many and resets it when it next handles it (for a FIN_WAIT1 socket probing a
 * zero window, at its next probe); the value is host-wide, so the pulse is as short as the watch
 * allows and always ends with the original value back, written in a {@code finally} and, should the
 * process die instead, by the start-up replay of transient changes.
 */
final class OrphanPulseRunner {
    private static final Duration POLL = Duration.ofMillis(100);

    private final Journal journal;
    private final SysctlAccess sysctls;
    private final OrphanWatch watch;
    private final NamespaceLocator locator;
    private final JournalReplay replay;
    private final RemediationMemory memory;
    private final PauseHook pause;
    private final EventLog log;
    private final Clock clock;

    OrphanPulseRunner(
            Journal journal,
            SysctlAccess sysctls,
            OrphanWatch watch,
            NamespaceLocator locator,
            JournalReplay replay,
            RemediationMemory memory,
            PauseHook pause,
            EventLog log,
            Clock clock) {
        this.journal = journal;
        this.sysctls = sysctls;
        this.watch = watch;
        this.locator = locator;
        this.replay = replay;
        this.memory = memory;
        this.pause = pause;
        this.log = log;
        this.clock = clock;
    }

    RemediationAction run(AgentPolicy policy, PlannedAction.OrphanPulse p, List<String> failures)
            throws InterruptedException {
        SysctlKey key = SysctlKey.TCP_MAX_ORPHANS;
        long original;
        Change change;
        try {
            original = sysctls.read(p.host(), p.root(), key);
            if (original == 0) {
                return failed(
                        p,
                        key.dottedName() + " is already 0 (another pulse, or set by hand): not touching it",
                        failures);
            }
            pause.reached(PauseHook.BEFORE_JOURNAL_WRITE);
            change = journal.recordIntent(
                    key,
                    p.host().label(),
                    locator.durablePath(p.host()),
                    p.host().inode(),
                    p.host().pids(),
                    p.root(),
                    original,
                    0,
                    policy.name(),
                    Change.Lifetime.TRANSIENT,
                    true);
            memory.pulseStartedAt(clock.instant());
            pause.reached(PauseHook.AFTER_JOURNAL_WRITE);
        } catch (IOException e) {
            return failed(p, e.getMessage(), failures);
        }
        Instant started = clock.instant();
        long left = p.finWait1Orphans();
        String watchProblem = null;
        InterruptedException interrupted = null;
        try {
            sysctls.write(p.host(), p.root(), key, 0);
            log.info("Set " + key.dottedName() + " to 0 (was " + original + ") to flush " + p.finWait1Orphans()
                    + " orphaned FIN_WAIT1 sockets, for at most "
                    + p.maxDuration().toMillis() + " ms");
            pause.reached(PauseHook.DURING_PULSE);
            long deadline = System.nanoTime() + p.maxDuration().toNanos();
            while (true) {
                left = watch.remaining(p.watched(), p.ports());
                if (left == 0 || System.nanoTime() >= deadline) {
                    break;
                }
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        } catch (IOException e) {
            watchProblem = e.getMessage();
        } catch (InterruptedException e) {
            interrupted = e;
        } finally {
            // Restoring must not be cut short by the interrupt that asked the agent to stop.
            boolean wasInterrupted = Thread.interrupted();
            JournalReplay.Outcome o = replay.undo(change, false);
            if (o.result() != ActionResult.Done) {
                failures.add("Restoring " + key.dottedName() + " after the orphan pulse: " + o.message());
            }
            if (wasInterrupted || interrupted != null) {
                Thread.currentThread().interrupt();
            }
        }
        long ms = Duration.between(started, clock.instant()).toMillis();
        String result =
                (p.finWait1Orphans() - left) + " of " + p.finWait1Orphans() + " orphaned FIN_WAIT1 sockets gone after "
                        + ms + " ms with " + key.dottedName() + " at 0; put back to " + original;
        try {
            journal.recordAction("Orphan pulse: " + result);
        } catch (IOException e) {
            log.info("Could not record the orphan pulse in the journal: " + e.getMessage());
        }
        if (interrupted != null) {
            throw interrupted;
        }
        if (watchProblem != null) {
            return failed(p, "watching the sockets failed (" + watchProblem + "); " + result, failures);
        }
        return action(p, ActionResult.Done, result);
    }

    private RemediationAction failed(PlannedAction a, String why, List<String> failures) {
        failures.add(a.describe() + ": " + why);
        log.info("Could not flush orphans: " + why);
        return action(a, ActionResult.Failed, why);
    }

    private RemediationAction action(PlannedAction a, ActionResult result, String message) {
        RemediationAction r = new RemediationAction();
        r.setTime(clock.instant().toString());
        r.setKind(a.kind());
        r.setTarget(a.target());
        r.setResult(result);
        r.setMessage(message);
        return r;
    }
}
