package io.tcphealth.agent.scan;

import io.tcphealth.agent.proc.ContainerRef;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.socket.TcpSocket;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one scan of a node saw: the input of diagnosis, which does no I/O of its own.
 *
 * @param time           when the scan started
 * @param durationMillis how long it took
 * @param source         how sockets were listed: {@code netlink} or {@code proc}
 * @param namespaces     per network namespace, the host's first
 * @param processes      every process by pid (pid namespace-wide, so shared by all network namespaces)
 * @param owners         socket inode to the processes holding it
 * @param problems       what could not be read, in words, so reports can say what they are missing
 * @param outOfScope     pids of processes found in network namespaces that were not scanned: what
 *                       concerns them (their zombies) stays out of the report
 * @param bindFacts      the options of the sockets on the ports of interest, and their devices' names
 * @param cgroupContainers by cgroup v2 id, the container whose cgroup made orphaned sockets (those no process holds
 *                       any more, so no fd tells their container); only ids whose path names a container
 */
public record NodeScan(
        Instant time,
        long durationMillis,
        String source,
        List<NamespaceScan> namespaces,
        Map<Integer, ProcessInfo> processes,
        Map<Long, List<SocketOwner>> owners,
        List<String> problems,
        java.util.Set<Integer> outOfScope,
        BindFacts bindFacts,
        Map<Long, ContainerRef> cgroupContainers) {

    public NodeScan {
        namespaces = List.copyOf(namespaces);
        processes = frozen(processes);
        owners = frozen(owners);
        problems = List.copyOf(problems);
        outOfScope = java.util.Set.copyOf(outOfScope);
        bindFacts = bindFacts == null ? BindFacts.NONE : bindFacts;
        cgroupContainers = cgroupContainers == null ? Map.of() : Map.copyOf(cgroupContainers);
    }

    /**
     * An unmodifiable copy that stays fast for keys that are not in it. Diagnosis asks for the owners of every socket,
     * and most have none; {@code Map.copyOf}'s open addressing keeps runs of neighbouring keys (socket inodes and pids
     * are mostly consecutive numbers) side by side, so a miss walks a long run: a third of an otherwise idle
     * diagnose's time at 100k sockets.
     */
    private static <K, V> Map<K, V> frozen(Map<K, V> map) {
        return Collections.unmodifiableMap(new HashMap<>(map));
    }

    /** A scan that read no socket options. */
    public NodeScan(
            Instant time,
            long durationMillis,
            String source,
            List<NamespaceScan> namespaces,
            Map<Integer, ProcessInfo> processes,
            Map<Long, List<SocketOwner>> owners,
            List<String> problems,
            java.util.Set<Integer> outOfScope) {
        this(
                time,
                durationMillis,
                source,
                namespaces,
                processes,
                owners,
                problems,
                outOfScope,
                BindFacts.NONE,
                Map.of());
    }

    /** A scan that knows of no process outside the namespaces it scanned. */
    public NodeScan(
            Instant time,
            long durationMillis,
            String source,
            List<NamespaceScan> namespaces,
            Map<Integer, ProcessInfo> processes,
            Map<Long, List<SocketOwner>> owners,
            List<String> problems) {
        this(time, durationMillis, source, namespaces, processes, owners, problems, java.util.Set.of());
    }

    /**
     * Whether a zombie belongs to this scan: its parent (the process that must reap it; a zombie's own
     * namespace links are gone) lives in a scanned namespace, or in none that is known.
     */
    public boolean zombieInScope(ProcessInfo zombie) {
        return !outOfScope.contains(zombie.ppid());
    }

    public Optional<NamespaceScan> host() {
        return namespaces.stream().filter(n -> n.namespace().host()).findFirst();
    }

    public Optional<ProcessInfo> process(int pid) {
        return Optional.ofNullable(processes.get(pid));
    }

    /** The container whose cgroup made this socket, when no process holds it any more and the cgroup names one. */
    public Optional<ContainerRef> orphanContainer(TcpSocket s) {
        return s.inode() != 0 || s.cgroupId() == 0
                ? Optional.empty()
                : Optional.ofNullable(cgroupContainers.get(s.cgroupId()));
    }

    public List<SocketOwner> ownersOf(long inode) {
        return inode == 0 ? List.of() : owners.getOrDefault(inode, List.of());
    }

    public long socketCount() {
        return namespaces.stream().mapToLong(n -> n.sockets().size()).sum();
    }
}
