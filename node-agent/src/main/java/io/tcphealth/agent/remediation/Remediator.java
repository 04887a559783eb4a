package io.tcphealth.agent.remediation;

import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.journal.Journal;
import io.tcphealth.agent.nativeio.Errno;
import io.tcphealth.agent.nativeio.ErrnoException;
import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.api.v1alpha1.ActionResult;
import io.tcphealth.api.v1alpha1.RemediationAction;
import io.tcphealth.api.v1alpha1.Severity;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries out a {@link Plan} in {@code Enforce} mode, or reports it as planned in {@code DryRun}.
 * Every sysctl change is journaled (and forced to disk) before it is made; sockets destroyed and
 * signals sent are journaled as actions after the fact.
 */
public final class Remediator {
    private final Journal journal;
    private final SysctlAccess sysctls;
    private final SocketKiller killer;
    private final ProcessSignals signals;
    private final OrphanPulseRunner pulses;
    private final NamespaceLocator locator;
    private final JournalReplay replay;
    private final RemediationMemory memory;
    private final PauseHook pause;
    private final EventLog log;
    private final Clock clock;
    private final Duration reapWait;

    public Remediator(
            Journal journal,
            SysctlAccess sysctls,
            SocketKiller killer,
            ProcessSignals signals,
            OrphanWatch watch,
            NamespaceLocator locator,
            RemediationMemory memory,
            PauseHook pause,
            EventLog log,
            Clock clock,
            Duration reapWait) {
        this.journal = journal;
        this.sysctls = sysctls;
        this.killer = killer;
        this.signals = signals;
        this.locator = locator;
        this.memory = memory;
        this.pause = pause;
        this.log = log;
        this.clock = clock;
        this.reapWait = reapWait;
        this.replay = new JournalReplay(journal, sysctls, locator, log);
        this.pulses = new OrphanPulseRunner(journal, sysctls, watch, locator, replay, memory, pause, log, clock);
    }

    public JournalReplay replay() {
        return replay;
    }

    /** Reports every action as planned, changing nothing. */
    public RoundResult report(AgentPolicy policy, Plan plan) {
        List<RemediationAction> actions = new ArrayList<>();
        for (PlannedAction a : plan.actions()) {
            log.info("Would " + lowerFirst(a.describe()) + " (DryRun, policy " + policy.name() + ")");
            actions.add(action(a, ActionResult.DryRun, a.describe()));
        }
        return new RoundResult(actions, List.of(), List.of());
    }

    /** Carries out every action in order. */
    public RoundResult enforce(AgentPolicy policy, Plan plan) throws InterruptedException {
        List<RemediationAction> actions = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (PlannedAction a : plan.actions()) {
            RemediationAction done = switch (a) {
                case PlannedAction.SetSysctl s -> setSysctl(policy, s, findings, failures);
                case PlannedAction.RestoreSysctl r -> restore(r, failures);
                case PlannedAction.DestroySocket d -> destroy(d, failures);
                case PlannedAction.OrphanPulse p -> pulses.run(policy, p, failures);
                case PlannedAction.SignalParent p -> signalParent(p, findings, failures);
            };
            actions.add(done);
        }
        return new RoundResult(actions, findings, failures);
    }

    private RemediationAction setSysctl(
            AgentPolicy policy, PlannedAction.SetSysctl s, List<Finding> findings, List<String> failures)
            throws InterruptedException {
        try {
            pause.reached(PauseHook.BEFORE_JOURNAL_WRITE);
            Change c = journal.recordIntent(
                    s.key(),
                    s.namespace().label(),
                    locator.durablePath(s.namespace()),
                    s.namespace().inode(),
                    s.namespace().pids(),
                    s.root(),
                    s.observed(),
                    s.desired(),
                    policy.name(),
                    Change.Lifetime.PERSISTENT,
                    policy.restoreOnDelete());
            pause.reached(PauseHook.AFTER_JOURNAL_WRITE);
            sysctls.write(s.namespace(), s.root(), s.key(), s.desired());
            long now = sysctls.read(s.namespace(), s.root(), s.key());
            if (now != s.desired()) {
                return failed(s, "wrote " + s.desired() + " but read back " + now, failures);
            }
            if (s.drift()) {
                findings.add(
                        new Finding(
                                FindingType.SysctlDrift,
                                Severity.Warning,
                                1,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                s.namespace().label(),
                                null,
                                s.key().dottedName() + " in " + s.namespace().label() + " was " + s.observed()
                                        + " although tcphealth"
                                        + " had set it to " + s.desired()
                                        + " (changed back by something else, or tcphealth stopped"
                                        + " before writing it); set to " + s.desired() + " again.",
                                "Find what else writes it (a sysctl.d file, a tuning daemon, another agent) and settle on one owner."));
            }
            log.info("Set " + s.target() + " to " + s.desired() + " (was " + s.observed() + ", original " + c.original()
                    + ", policy " + policy.name() + ")");
            return action(s, ActionResult.Done, s.describe());
        } catch (IOException e) {
            return failed(s, e.getMessage(), failures);
        }
    }

    private RemediationAction restore(PlannedAction.RestoreSysctl r, List<String> failures)
            throws InterruptedException {
        JournalReplay.Outcome o = replay.undo(r.change(), true);
        if (o.result() == ActionResult.Failed) {
            failures.add(r.describe() + ": " + o.message());
        }
        return action(r, o.result(), r.describe() + ": " + o.message());
    }

    private RemediationAction destroy(PlannedAction.DestroySocket d, List<String> failures)
            throws InterruptedException {
        if (memory.killUnavailable != null) {
            return action(d, ActionResult.Skipped, "Sockets cannot be destroyed here: " + memory.killUnavailable);
        }
        try {
            killer.destroy(d.namespace(), d.socket());
            memory.destroyed.add(SocketRef.of(d.namespace().inode(), d.socket()));
            journal.recordAction("Destroyed " + d.target() + ", " + owners(d));
            log.info("Destroyed " + d.target() + ", " + owners(d));
            return action(d, ActionResult.Done, d.describe());
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return action(d, ActionResult.Skipped, d.describe() + ": already gone");
            }
            if (e.errno() == Errno.EOPNOTSUPP) {
                memory.killUnavailable =
                        "the kernel cannot destroy sockets (EOPNOTSUPP: built without CONFIG_INET_DIAG_DESTROY)";
            } else if (e.errno() == Errno.EPERM || e.errno() == Errno.EACCES) {
                memory.killUnavailable =
                        "no permission to destroy sockets (" + Errno.describe(e.errno()) + "; needs CAP_NET_ADMIN)";
            }
            if (memory.killUnavailable != null) {
                log.info("Stopped destroying sockets: " + memory.killUnavailable);
            }
            return failed(d, e.getMessage(), failures);
        } catch (IOException e) {
            return failed(d, e.getMessage(), failures);
        }
    }

    private static String owners(PlannedAction.DestroySocket d) {
        return d.owners().isEmpty() ? "orphaned" : "owned by " + String.join(", ", d.owners());
    }

    private RemediationAction signalParent(PlannedAction.SignalParent p, List<Finding> findings, List<String> failures)
            throws InterruptedException {
        try {
            if (signals.startTicks(p.pid()) != p.startTicks()) {
                return action(
                        p,
                        ActionResult.Skipped,
                        "pid " + p.pid() + " exited (or is another process now) since the scan");
            }
            signals.signal(p.pid(), Libc.SIGCHLD);
            String key = p.pid() + "@" + p.startTicks();
            memory.signalled.put(key, clock.instant());
            memory.signals.merge(key, 1, Integer::sum);
            long deadline = System.nanoTime() + reapWait.toNanos();
            int left = remaining(p);
            while (left > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                left = remaining(p);
            }
            int reaped = p.zombies().size() - left;
            String result = "Sent SIGCHLD to " + p.target() + ": " + reaped + " of "
                    + p.zombies().size() + " zombies reaped"
                    + (left == 0 ? "" : ", " + left + " still there after " + reapWait.toMillis() + " ms");
            journal.recordAction(result);
            log.info(result);
            if (left > 0) {
                findings.add(notReaping(p, left));
            } else {
                memory.signals.remove(key);
            }
            return action(p, ActionResult.Done, result);
        } catch (IOException e) {
            return failed(p, e.getMessage(), failures);
        }
    }

    private int remaining(PlannedAction.SignalParent p) throws IOException {
        int left = 0;
        for (int i = 0; i < p.zombies().size(); i++) {
            if (signals.startTicks(p.zombies().get(i)) == p.zombieStartTicks().get(i)) {
                left++;
            }
        }
        return left;
    }

    private static Finding notReaping(PlannedAction.SignalParent p, int left) {
        String next = p.containerInit()
                ? "It is the first process of its container and does not reap: run an init as PID 1 (tini, dumb-init, "
                        + "docker --init) or set shareProcessNamespace: true in the pod so the pause process reaps."
                : "Restart " + p.comm()
                        + " (its zombies go with it); if it runs as a container's PID 1, give the container "
                        + "an init (tini, dumb-init) or set shareProcessNamespace: true in the pod.";
        return new Finding(
                FindingType.ZombieProcesses,
                Severity.Warning,
                left,
                null,
                null,
                p.pid(),
                p.comm(),
                null,
                null,
                null,
                null,
                p.oldest() == null ? null : p.oldest().toSeconds(),
                p.target() + " did not reap " + left + " zombie" + (left == 1 ? "" : "s")
                        + " after SIGCHLD: it ignores the signal" + " or never calls wait().",
                next);
    }

    private RemediationAction failed(PlannedAction a, String why, List<String> failures) {
        failures.add(a.describe() + ": " + why);
        log.info("Could not " + lowerFirst(a.describe()) + ": " + why);
        return action(a, ActionResult.Failed, a.describe() + ": " + why);
    }

    RemediationAction action(PlannedAction a, ActionResult result, String message) {
        RemediationAction r = new RemediationAction();
        r.setTime(clock.instant().toString());
        r.setKind(a.kind());
        r.setTarget(a.target());
        r.setResult(result);
        r.setMessage(message);
        return r;
    }

    static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
