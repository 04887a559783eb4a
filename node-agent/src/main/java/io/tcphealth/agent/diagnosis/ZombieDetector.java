package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.proc.ProcessInfo;
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
        Thresholds t = settings.thresholds();
        Map<Integer, List<ProcessInfo>> byParent = new TreeMap<>();
        for (ProcessInfo p : view.scan().processes().values()) {
            if (p.isZombie() && !isDeadLeader(p)) {
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
            Severity severity = Thresholds.byCount(zombies.size(), t.zombiesPerParent());
            if (oldest != null && oldest.compareTo(t.stuckAfter()) >= 0) {
                severity = Severity.max(severity, Severity.Warning);
            }
            String message = zombies.size() + " zombie process" + (zombies.size() == 1 ? "" : "es") + " ("
                    + zombies.get(0).comm() + (zombies.size() > 1 ? ", ..." : "") + ") under "
                    + (parent == null ? "parent pid " + e.getKey() : ScanView.describe(parent)) + ScanView.forAge(oldest) + ". "
                    + parentRole(view, e.getKey(), parent);
            findings.add(ScanView.finding(FindingType.ZombieProcesses, severity, zombies.size(), null, null, parent, null,
                    oldest, message, nextStep(view, e.getKey(), parent)));
        }
        return findings;
    }

    static boolean isDeadLeader(ProcessInfo p) {
        return p.isZombie() && p.threads() > 1;
    }

    private static String parentRole(ScanView view, int ppid, ProcessInfo parent) {
        if (ppid == 1) {
            return "Their parent is init: the original parent died, and init should reap them soon.";
        }
        if (parent == null) {
            return "The parent could not be read.";
        }
        if (isContainerInit(view, parent)) {
            return "The parent is the first process of its container and does not reap its children.";
        }
        return "The parent is alive and has not called wait() for them.";
    }

    private static String nextStep(ScanView view, int ppid, ProcessInfo parent) {
        if (ppid == 1) {
            return "If they persist, the host's init is not reaping: check it (and that no subreaper is stuck).";
        }
        if (parent == null) {
            return "Look up the parent pid with ps -o pid,ppid,stat,comm.";
        }
        if (isContainerInit(view, parent)) {
            return "Run an init as the container's first process (tini, dumb-init, docker --init) or set"
                    + " shareProcessNamespace: true in the pod so the pause process reaps.";
        }
        return "Send the parent SIGCHLD (kill -CHLD " + parent.pid() + ") to prompt it to reap; if they stay, restart "
                + parent.comm() + ": its zombies go with it.";
    }

    /** The first process of a container: its own parent is outside that container. */
    static boolean isContainerInit(ScanView view, ProcessInfo p) {
        if (p.container() == null) {
            return false;
        }
        ProcessInfo grandParent = view.scan().processes().get(p.ppid());
        return grandParent == null || grandParent.container() == null
                || !grandParent.container().containerId().equals(p.container().containerId());
    }
}
