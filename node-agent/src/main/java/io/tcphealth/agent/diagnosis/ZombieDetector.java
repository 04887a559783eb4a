package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Zombies grouped by parent. A zombie has exited; it stays until its parent calls wait(). Whether
 * the parent is alive and simply not reaping, is init (the real parent died: an orphan that init
 * should collect), or is the first process of a container (which often has no init to reap) decides
 * the fix.
 *
 * <p>A zombie leader whose other threads still run is not reapable and is left to
 * {@link ZombieHoldsSocketsDetector}.
 */
final class ZombieDetector implements Detector {

    @Override
    public List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier) {
        DiagnosisThresholds t = settings.thresholds();
        Map<Integer, List<ProcessInfo>> byParent = new TreeMap<>();
        for (ProcessInfo p : view.scan().processes().values()) {
            if (p.isZombie() && !isDeadLeader(p) && view.scan().zombieInScope(p)) {
                byParent.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<Integer, List<ProcessInfo>> e : byParent.entrySet()) {
            List<ProcessInfo> zombies = e.getValue();
            ProcessInfo parent = view.scan().processes().get(e.getKey());
            Duration oldest = null;
            for (ProcessInfo z : zombies) {
                oldest = ScanView.older(oldest, view.zombieAge(z));
            }
            Severity severity = DiagnosisThresholds.byCount(zombies.size(), t.zombiesPerParent());
            if (oldest != null && oldest.compareTo(t.stuckAfter()) >= 0) {
                severity = Severity.max(severity, Severity.Warning);
            }
            String message = zombies.size() + " zombie process" + (zombies.size() == 1 ? "" : "es") + " ("
                    + zombies.get(0).comm() + (zombies.size() > 1 ? ", ..." : "") + ") under "
                    + (parent == null ? "parent pid " + e.getKey() : ScanView.describe(parent))
                    + ScanView.forAge(oldest) + ". "
                    + parentRole(view, e.getKey(), parent, zombies);
            findings.add(ScanView.finding(
                    FindingType.ZombieProcesses,
                    severity,
                    zombies.size(),
                    null,
                    null,
                    parent,
                    null,
                    oldest,
                    message,
                    nextStep(view, e.getKey(), parent, zombies)));
        }
        return findings;
    }

    static boolean isDeadLeader(ProcessInfo p) {
        return p.isZombie() && p.threads() > 1;
    }

    /** Why nobody reaps them: the four cases call for four different next steps. */
    enum Reaper {
        /** Their parent is alive and does not call wait(). */
        PARENT_NOT_REAPING,
        /** Their parent is PID 1 of a PID namespace: a container's init, which adopts every orphan in it. */
        PID_NAMESPACE_INIT,
        /** Their parent started after them, so it adopted them: a child subreaper (PR_SET_CHILD_SUBREAPER). */
        SUBREAPER,
        /** Re-parented to the host's init: their parent died. */
        HOST_INIT,
        /** The parent could not be read. */
        UNKNOWN
    }

    static Reaper reaper(ScanView view, int ppid, ProcessInfo parent, List<ProcessInfo> zombies) {
        if (parent == null) {
            return ppid == 1 ? Reaper.HOST_INIT : Reaper.UNKNOWN;
        }
        if (parent.pidNamespaceInit() || isContainerInit(view, parent)) {
            return Reaper.PID_NAMESPACE_INIT;
        }
        if (ppid == 1) {
            return Reaper.HOST_INIT;
        }
        // A process cannot have forked a child before it started itself: a parent younger than one
        // of its zombies adopted it when the zombie's own parent died, which only a subreaper does.
        boolean adopted = zombies.stream().anyMatch(z -> z.startTicks() < parent.startTicks());
        return adopted ? Reaper.SUBREAPER : Reaper.PARENT_NOT_REAPING;
    }

    private static String parentRole(ScanView view, int ppid, ProcessInfo parent, List<ProcessInfo> zombies) {
        return switch (reaper(view, ppid, parent, zombies)) {
            case HOST_INIT ->
                "Their parent died and they were re-parented to the host's init, which should reap them soon.";
            case UNKNOWN -> "The parent could not be read.";
            case PID_NAMESPACE_INIT ->
                "The parent is PID 1 of its PID namespace (a container's first process): every orphan"
                        + " of that namespace is re-parented to it, and it does not reap them.";
            case SUBREAPER ->
                "Their own parent died and this process, started after them, adopted them as a child subreaper"
                        + " (PR_SET_CHILD_SUBREAPER, as container shims and service managers are); it does not reap them.";
            case PARENT_NOT_REAPING ->
                "The parent is alive and has not called wait() for them (they are its own children,"
                        + " or it adopted them as a child subreaper: the kernel keeps no record of which).";
        };
    }

    private static String nextStep(ScanView view, int ppid, ProcessInfo parent, List<ProcessInfo> zombies) {
        return switch (reaper(view, ppid, parent, zombies)) {
            case HOST_INIT ->
                "If they persist, the host's init is not reaping: check PID 1 (systemctl status, its journal);"
                        + " nothing else can reap them.";
            case UNKNOWN -> "Look up the parent pid with ps -o pid,ppid,stat,comm.";
            case PID_NAMESPACE_INIT ->
                "Run a real init as the container's first process (tini, dumb-init, docker --init) or set"
                        + " shareProcessNamespace: true in the pod so the pause process reaps. Restarting the container's init"
                        + " (pid " + parent.pid() + ") ends the whole container, every process in it.";
            case SUBREAPER ->
                "Send the subreaper SIGCHLD (kill -CHLD " + parent.pid() + ") to prompt it to reap; if they stay, it"
                        + " is the one to fix or restart (" + parent.comm()
                        + "; restarting a container shim ends its container).";
            case PARENT_NOT_REAPING ->
                "Send the parent SIGCHLD (kill -CHLD " + parent.pid() + ") to prompt it to reap; if they"
                        + " stay, restart " + parent.comm() + ": its zombies go with it.";
        };
    }

    /** The first process of a container: its own parent is outside that container. */
    static boolean isContainerInit(ScanView view, ProcessInfo p) {
        if (p.container() == null) {
            return false;
        }
        ProcessInfo grandParent = view.scan().processes().get(p.ppid());
        return grandParent == null
                || grandParent.container() == null
                || !grandParent.container().containerId().equals(p.container().containerId());
    }
}
