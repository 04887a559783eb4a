package io.tcphealth.agent.scan;

import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SocketOwner;
import java.time.Instant;
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
 */
public record NodeScan(
        Instant time,
        long durationMillis,
        String source,
        List<NamespaceScan> namespaces,
        Map<Integer, ProcessInfo> processes,
        Map<Long, List<SocketOwner>> owners,
        List<String> problems) {

    public NodeScan {
        namespaces = List.copyOf(namespaces);
        processes = Map.copyOf(processes);
        owners = Map.copyOf(owners);
        problems = List.copyOf(problems);
    }

    public Optional<NamespaceScan> host() {
        return namespaces.stream().filter(n -> n.namespace().host()).findFirst();
    }

    public Optional<ProcessInfo> process(int pid) {
        return Optional.ofNullable(processes.get(pid));
    }

    public List<SocketOwner> ownersOf(long inode) {
        return inode == 0 ? List.of() : owners.getOrDefault(inode, List.of());
    }

    public long socketCount() {
        return namespaces.stream().mapToLong(n -> n.sockets().size()).sum();
    }
}
