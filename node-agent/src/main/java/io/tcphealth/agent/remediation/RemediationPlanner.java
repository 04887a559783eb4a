package io.tcphealth.agent.remediation;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.diagnosis.Durations;
import io.tcphealth.agent.diagnosis.Finding;
import io.tcphealth.agent.diagnosis.FindingType;
import io.tcphealth.agent.journal.Change;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.policy.AgentPolicy;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.RemediationMode;
import io.tcphealth.api.v1alpha1.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides the actions of one round from the policy, the scan, the diagnosis, the sysctls just read
 * and the journal's open changes. Pure: the same input gives the same plan, and it changes nothing.
 */
public final class RemediationPlanner {

    /** Everything the plan depends on. */
    public record Input(
            AgentPolicy policy,
            NodeScan scan,
            Ages ages,
            List<Finding> findings,
            List<SysctlObservation> sysctls,
            List<Change> openChanges,
            RemediationMemory memory,
            SysctlRoots roots,
            Instant now) {}

    public Plan plan(Input in) {
        List<PlannedAction> actions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (in.policy().mode() == RemediationMode.Observe) {
            // Observe changes nothing new, and holds nothing either: values tcphealth tuned go back.
            for (Change c : in.openChanges()) {
                if (c.lifetime() == Change.Lifetime.PERSISTENT) {
                    actions.add(new PlannedAction.RestoreSysctl(
                            c, "policy " + in.policy().name() + " is in Observe mode"));
                }
            }
            return new Plan(actions, notes);
        }
        sysctls(in, actions, notes);
        List<PlannedAction.DestroySocket> kills = sockets(in, notes);
        actions.addAll(kills);
        pulse(in, kills, notes, actions);
        zombies(in, notes, actions);
        return new Plan(actions, notes);
    }

    /** The namespaces a key is held in: per-namespace keys follow the scope, host-wide keys only the host. */
    static boolean inScope(SysctlKey key, NetNamespace ns) {
        return key.perNetns() || ns.host();
    }

    private static void sysctls(Input in, List<PlannedAction> actions, List<String> notes) {
        Map<SysctlKey, Long> desired = in.policy().sysctls();
        Set<String> wanted = new HashSet<>();
        for (SysctlObservation o : in.sysctls()) {
            Long want = desired.get(o.key());
            if (want == null || !inScope(o.key(), o.namespace())) {
                continue;
            }
            wanted.add(slot(o.key(), o.namespace().inode()));
            if (o.observed() == null) {
                notes.add("Cannot hold " + o.key().dottedName() + " at " + want + " in "
                        + o.namespace().label() + ": " + o.problem());
                continue;
            }
            if (o.observed() != want.longValue()) {
                boolean drift = in.openChanges().stream()
                        .anyMatch(c -> c.lifetime() == Change.Lifetime.PERSISTENT
                                && c.key() == o.key()
                                && c.netnsInode() == o.namespace().inode()
                                && c.target() == want);
                actions.add(new PlannedAction.SetSysctl(o.namespace(), o.root(), o.key(), o.observed(), want, drift));
            }
        }
        for (Change c : in.openChanges()) {
            if (c.lifetime() != Change.Lifetime.PERSISTENT || wanted.contains(slot(c.key(), c.netnsInode()))) {
                continue;
            }
            boolean scanned =
                    in.scan().namespaces().stream().anyMatch(n -> n.namespace().inode() == c.netnsInode());
            String reason = !in.policy().sysctls().containsKey(c.key())
                    ? "policy " + in.policy().name() + " no longer sets it"
                    : scanned ? "outside the policy's scope" : "its namespace was not seen in this scan";
            actions.add(new PlannedAction.RestoreSysctl(c, reason));
        }
    }

    private static String slot(SysctlKey key, long inode) {
        return key + "@" + inode;
    }

    private static List<PlannedAction.DestroySocket> sockets(Input in, List<String> notes) {
        AgentPolicy.KillRule rule = in.policy().kill();
        List<PlannedAction.DestroySocket> out = new ArrayList<>();
        if (rule == null) {
            return out;
        }
        int unknownAge = 0;
        int younger = 0;
        int triedBefore = 0;
        for (NamespaceScan ns : in.scan().namespaces()) {
            for (TcpSocket s : ns.sockets()) {
                if (!rule.states().contains(s.state())
                        || !rule.matchesPort(s.localPort())
                        || !rule.matchesOwners(ownerCommands(in.scan(), s))) {
                    continue;
                }
                if (in.memory().destroyed.contains(SocketRef.of(ns.namespace().inode(), s))) {
                    triedBefore++;
                    continue;
                }
                Duration age = in.ages().socketAge(ns.namespace(), s);
                if (age == null) {
                    unknownAge++;
                } else if (age.compareTo(rule.olderThan()) < 0) {
                    younger++;
                } else {
                    out.add(new PlannedAction.DestroySocket(ns.namespace(), s, age, owners(in.scan(), s)));
                }
            }
        }
        if (unknownAge > 0) {
            notes.add(unknownAge
                    + " matching sockets were first seen in this scan and the kernel gives no idle time for them: "
                    + "their age is unknown until a later scan, so they are not destroyed yet");
        }
        if (younger > 0) {
            notes.add(younger + " matching sockets are younger than olderThan " + Durations.human(rule.olderThan()));
        }
        if (triedBefore > 0) {
            notes.add(triedBefore + " sockets destroyed earlier are still there: destroying did not free them");
        }
        out.sort(Comparator.comparing(PlannedAction.DestroySocket::age)
                .reversed()
                .thenComparing(d -> d.socket().localPort())
                .thenComparing(d -> d.socket().remotePort()));
        if (in.memory().killUnavailable() != null && !out.isEmpty()) {
            notes.add(out.size() + " sockets match but cannot be destroyed: "
                    + in.memory().killUnavailable());
            return List.of();
        }
        if (out.size() > rule.maxPerScan()) {
            notes.add((out.size() - rule.maxPerScan()) + " more matching sockets are left for later scans (maxPerScan "
                    + rule.maxPerScan() + ")");
            return List.copyOf(out.subList(0, rule.maxPerScan()));
        }
        return out;
    }

    private static List<String> ownerCommands(NodeScan scan, TcpSocket s) {
        List<String> out = new ArrayList<>();
        for (SocketOwner o : scan.ownersOf(s.inode())) {
            ProcessInfo p = scan.processes().get(o.pid());
            if (p != null) {
                out.add(p.comm());
            }
        }
        return out;
    }

    private static List<String> owners(NodeScan scan, TcpSocket s) {
        List<String> out = new ArrayList<>();
        for (SocketOwner o : scan.ownersOf(s.inode())) {
            ProcessInfo p = scan.processes().get(o.pid());
            out.add("pid " + o.pid() + (p == null ? "" : " (" + p.comm() + ")"));
        }
        return out;
    }

    /** The ports whose FIN_WAIT1 orphans a pulse is for: the policy's ports, else the kill rule's, else any. */
    static List<Integer> pulsePorts(AgentPolicy policy) {
        if (!policy.ports().isEmpty()) {
            return policy.ports();
        }
        return policy.kill() == null ? List.of() : List.copyOf(policy.kill().ports());
    }

    static boolean onPorts(TcpSocket s, List<Integer> ports) {
        return ports.isEmpty() || ports.contains(s.localPort()) || ports.contains(s.remotePort());
    }

    private static void pulse(
            Input in, List<PlannedAction.DestroySocket> kills, List<String> notes, List<PlannedAction> actions) {
        AgentPolicy.PulseRule rule = in.policy().pulse();
        if (rule == null) {
            return;
        }
        NamespaceScan host = in.scan().host().orElse(null);
        if (host == null || host.sockStat() == null) {
            notes.add("No orphan pulse: the host's orphan count could not be read");
            return;
        }
        long orphans = host.sockStat().orphans();
        List<Integer> ports = pulsePorts(in.policy());
        Set<SocketRef> beingDestroyed = new HashSet<>();
        for (PlannedAction.DestroySocket k : kills) {
            beingDestroyed.add(SocketRef.of(k.namespace().inode(), k.socket()));
        }
        long stuck = 0;
        List<NetNamespace> watched = new ArrayList<>();
        for (NamespaceScan ns : in.scan().namespaces()) {
            long here = ns.sockets().stream()
                    .filter(s -> s.state() == TcpState.FIN_WAIT1 && s.isOrphan() && onPorts(s, ports))
                    .filter(s ->
                            !beingDestroyed.contains(SocketRef.of(ns.namespace().inode(), s)))
                    .count();
            if (here > 0) {
                watched.add(ns.namespace());
                stuck += here;
            }
        }
        if (stuck == 0) {
            return;
        }
        boolean over;
        if (rule.whenOrphansAbove() != null) {
            over = orphans > rule.whenOrphansAbove();
        } else {
            over = !ports.isEmpty()
                    || in.findings().stream()
                            .anyMatch(f -> f.type() == FindingType.OrphanPressure && f.severity() == Severity.Critical);
        }
        if (!over) {
            return;
        }
        String why = why(in, ports);
        if (why == null) {
            notes.add("No orphan pulse: the " + stuck + " orphaned FIN_WAIT1 sockets are to be destroyed first");
            return;
        }
        Instant last = in.memory().lastPulse;
        if (last != null && in.now().isBefore(last.plus(rule.cooldown()))) {
            notes.add("No orphan pulse for " + stuck + " orphaned FIN_WAIT1 sockets: cooling down until "
                    + last.plus(rule.cooldown()));
            return;
        }
        actions.add(new PlannedAction.OrphanPulse(
                host.namespace(), in.roots().global(), orphans, stuck, ports, watched, rule.maxDuration(), why));
    }

    /** Why destroying the orphans is not the answer here, or null when it still may be. */
    private static String why(Input in, List<Integer> ports) {
        AgentPolicy.KillRule kill = in.policy().kill();
        if (kill == null || !kill.states().contains(TcpState.FIN_WAIT1)) {
            return "destroying FIN_WAIT1 sockets is not configured";
        }
        if (in.memory().killUnavailable() != null) {
            return "sockets cannot be destroyed here (" + in.memory().killUnavailable() + ")";
        }
        for (NamespaceScan ns : in.scan().namespaces()) {
            for (TcpSocket s : ns.sockets()) {
                if (s.state() == TcpState.FIN_WAIT1
                        && s.isOrphan()
                        && onPorts(s, ports)
                        && in.memory()
                                .destroyed
                                .contains(SocketRef.of(ns.namespace().inode(), s))) {
                    return "destroying them did not free them (kernels before 6.11 keep orphaned FIN_WAIT1 sockets)";
                }
            }
        }
        return null;
    }

    private static void zombies(Input in, List<String> notes, List<PlannedAction> actions) {
        AgentPolicy.ZombieRule rule = in.policy().zombies();
        if (rule == null) {
            return;
        }
        Map<Integer, List<ProcessInfo>> byParent = new TreeMap<>();
        Map<Integer, Duration> oldest = new TreeMap<>();
        int unknown = 0;
        for (ProcessInfo p : in.scan().processes().values()) {
            // A zombie leader with live threads cannot be reaped yet: its parent is not the one to ask.
            if (!p.isZombie() || p.threads() > 1) {
                continue;
            }
            Duration age = in.ages().zombieAge(p);
            if (age == null) {
                unknown++;
                continue;
            }
            if (age.compareTo(rule.olderThan()) < 0) {
                continue;
            }
            byParent.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            oldest.merge(p.ppid(), age, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        if (unknown > 0) {
            notes.add(unknown + " zombies were first seen in this scan: their age is unknown until a later scan");
        }
        // Processes are seen node-wide (one pid namespace), but the agent acts only within the network
        // namespaces in scope: with --host-netns pointing at a scratch namespace, the real host's
        // processes stay untouched.
        Set<Integer> inScope = new HashSet<>();
        for (NamespaceScan ns : in.scan().namespaces()) {
            inScope.addAll(ns.namespace().pids());
        }
        for (Map.Entry<Integer, List<ProcessInfo>> e : byParent.entrySet()) {
            int ppid = e.getKey();
            ProcessInfo parent = in.scan().processes().get(ppid);
            if (ppid <= 1) {
                notes.add("Not signalling pid " + ppid + ": PID 1 of the host is never signalled");
                continue;
            }
            if (!inScope.contains(ppid)) {
                notes.add("Not signalling pid " + ppid + (parent == null ? "" : " (" + parent.comm() + ")")
                        + ": it lives outside the network namespaces in scope");
                continue;
            }
            if (parent == null || parent.kernelThread() || parent.isZombie() || ppid == 2) {
                notes.add("Not signalling pid " + ppid + ": "
                        + (parent == null
                                ? "it could not be read"
                                : parent.isZombie() ? "it is itself a zombie" : "it is a kernel thread"));
                continue;
            }
            Instant last = in.memory().signalled.get(parentKey(parent));
            int sent = in.memory().signals.getOrDefault(parentKey(parent), 0);
            Instant next = last == null ? null : last.plus(RemediationMemory.signalBackoff(rule.olderThan(), sent));
            if (next != null && in.now().isBefore(next)) {
                notes.add("Pid " + ppid + " (" + parent.comm() + ") has not reaped after " + sent + " SIGCHLD"
                        + (sent == 1 ? "" : "s") + "; the next is due at " + next);
                continue;
            }
            List<ProcessInfo> zs = e.getValue().stream()
                    .sorted(Comparator.comparingInt(ProcessInfo::pid))
                    .toList();
            actions.add(new PlannedAction.SignalParent(
                    ppid,
                    parent.comm(),
                    parent.startTicks(),
                    zs.stream().map(ProcessInfo::pid).toList(),
                    zs.stream().map(ProcessInfo::startTicks).toList(),
                    oldest.get(ppid),
                    isContainerInit(in.scan(), parent)));
        }
    }

    static String parentKey(ProcessInfo p) {
        return p.pid() + "@" + p.startTicks();
    }

    /** The first process of a container: its own parent is outside that container. */
    static boolean isContainerInit(NodeScan scan, ProcessInfo p) {
        if (p.container() == null) {
            return false;
        }
        ProcessInfo grandParent = scan.processes().get(p.ppid());
        return grandParent == null
                || grandParent.container() == null
                || !grandParent.container().containerId().equals(p.container().containerId());
    }
}
