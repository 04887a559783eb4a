package io.tcphealth.agent.scan;

import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.ProcessTable;
import io.tcphealth.agent.proc.ProcessTableReader;
import io.tcphealth.agent.proc.ScanProblems;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.proc.SocketOwnerIndex;
import io.tcphealth.agent.proc.SocketOwners;
import io.tcphealth.agent.proc.SysctlReader;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.socket.SocketSource;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes one scan of a node: the sockets, totals and sysctls of each network namespace (each read
 * on a thread inside that namespace), the process table, and the owners of the sockets worth
 * attributing.
 *
 * <p>Attribution walks {@code /proc/<pid>/fd}, the expensive part of a scan, so only sockets that a
 * finding could name an owner for are looked up: everything not ESTABLISHED or TIME_WAIT,
 * ESTABLISHED sockets with unread data, and every socket on a port of interest.
 */
public final class NodeScanner {
    private final ProcFs procFs;
    private final NamespaceDiscovery discovery;
    private final NamespaceDiscovery fallback;
    private final NamespaceExecutor executor;
    private final SocketSource source;
    private final Clock clock;

    /**
     * @param discovery finds the namespaces and which one is the host's
     * @param fallback  used when {@code discovery} cannot tell the host's namespace (PID 1's is not
     *                  readable without the right to inspect PID 1): typically "this process's own",
     *                  reported as a problem; null for none
     */
    public NodeScanner(ProcFs procFs, NamespaceDiscovery discovery, NamespaceDiscovery fallback, NamespaceExecutor executor,
            SocketSource source, Clock clock) {
        this.procFs = procFs;
        this.discovery = discovery;
        this.fallback = fallback;
        this.executor = executor;
        this.source = source;
        this.clock = clock;
    }

    /**
     * @throws IOException when not even the host namespace could be scanned; any other part that
     *                     cannot be read is reported in {@link NodeScan#problems()}
     */
    public NodeScan scan(ScanScope scope, Set<Integer> portsOfInterest) throws IOException, InterruptedException {
        Instant start = clock.instant();
        long startNanos = System.nanoTime();
        ScanProblems problems = new ScanProblems();

        io.tcphealth.agent.netns.NamespaceScan found;
        try {
            found = discovery.discover();
        } catch (IOException e) {
            if (fallback == null) {
                throw e;
            }
            found = fallback.discover();
            problems.add(e.getMessage() + "; scanned this process's own network namespace as the host's instead");
        }
        if (found.unreadable() > 0) {
            problems.add("Could not read the network namespace of " + found.unreadable()
                    + (found.unreadable() == 1 ? " process" : " processes")
                    + (found.unreadableSamples().isEmpty() ? "" : " (" + found.unreadableSamples().get(0) + ")"));
        }
        List<NetNamespace> targets = scope == ScanScope.ALL ? found.namespaces() : List.of(found.host());

        List<NamespaceScan> scans = new ArrayList<>();
        for (NetNamespace ns : targets) {
            try {
                scans.add(executor.call(ns, () -> scanInside(ns, problems)));
            } catch (IOException e) {
                if (ns.host()) {
                    throw new IOException("Cannot scan the host network namespace (" + ns.path() + "): " + e.getMessage(), e);
                }
                problems.add("Could not scan " + ns.label() + " (" + ns.path() + "): " + e.getMessage());
            }
        }

        ProcessTable table = new ProcessTableReader(procFs).read(problems);
        Map<Integer, ProcessInfo> processes = new HashMap<>();
        for (ProcessInfo p : table.all()) {
            processes.put(p.pid(), p);
        }
        SocketOwners walker = new SocketOwners(procFs);
        Map<Long, List<SocketOwner>> owners = new HashMap<>();
        addAll(owners, walker.scan(SocketOwners.Scope.everything().onlyInodes(inodesWorthAttributing(scans, portsOfInterest)), problems));
        // Whatever a dead thread-group leader's live threads hold is worth naming, in any state.
        List<Integer> deadLeaders = table.zombieLeadersWithLiveThreads().stream().map(ProcessInfo::pid).toList();
        if (!deadLeaders.isEmpty()) {
            addAll(owners, walker.scan(SocketOwners.Scope.pids(deadLeaders), problems));
        }
        long durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
        return new NodeScan(start, durationMillis, source.name(), scans, processes, owners, problems.messages());
    }

    private static void addAll(Map<Long, List<SocketOwner>> owners, SocketOwnerIndex index) {
        for (long inode : index.inodes()) {
            owners.merge(inode, index.ownersOf(inode), (a, b) -> {
                List<SocketOwner> both = new ArrayList<>(a);
                b.stream().filter(o -> !a.contains(o)).forEach(both::add);
                return both;
            });
        }
    }

    private NamespaceScan scanInside(NetNamespace ns, ScanProblems problems) throws IOException {
        List<TcpSocket> sockets = source.sockets(TcpState.all());
        SockStat sockStat = null;
        Path sockstatFile = procFs.path("thread-self", "net", "sockstat");
        try {
            sockStat = SockStat.parse(sockstatFile.toString(), procFs.read(sockstatFile));
        } catch (IOException e) {
            problems.couldNotRead(sockstatFile, e);
        }
        // /proc/sys/net answers for the namespace of the thread that opens the file: this one.
        TcpSysctls sysctls = new SysctlReader(procFs.path("sys")).tcpSysctls(problems);
        return new NamespaceScan(ns, sockets, sockStat, sysctls);
    }

    static Set<Long> inodesWorthAttributing(List<NamespaceScan> scans, Set<Integer> portsOfInterest) {
        Set<Long> wanted = new HashSet<>();
        for (NamespaceScan ns : scans) {
            for (TcpSocket s : ns.sockets()) {
                if (s.inode() != 0 && isWorthAttributing(s, portsOfInterest)) {
                    wanted.add(s.inode());
                }
            }
        }
        return wanted;
    }

    private static boolean isWorthAttributing(TcpSocket s, Set<Integer> portsOfInterest) {
        if (portsOfInterest.contains(s.localPort())) {
            return true;
        }
        return switch (s.state()) {
            case ESTABLISHED -> s.recvQueue() > 0;
            case TIME_WAIT, NEW_SYN_RECV, SYN_RECV -> false;
            default -> true;
        };
    }
}
