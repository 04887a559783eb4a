package io.tcphealth.agent.scan;

import io.tcphealth.agent.netns.NamespaceDiscovery;
import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NamespaceSweep;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.CgroupParser;
import io.tcphealth.agent.proc.CgroupTree;
import io.tcphealth.agent.proc.ContainerRef;
import io.tcphealth.agent.proc.NetLimits;
import io.tcphealth.agent.proc.ProcFs;
import io.tcphealth.agent.proc.ProcNumbers;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.ProcessTable;
import io.tcphealth.agent.proc.ProcessTableReader;
import io.tcphealth.agent.proc.ScanProblems;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.proc.SocketOwnerCache;
import io.tcphealth.agent.proc.SocketOwnerIndex;
import io.tcphealth.agent.proc.SocketOwners;
import io.tcphealth.agent.proc.SysctlKey;
import io.tcphealth.agent.proc.SysctlReader;
import io.tcphealth.agent.proc.TcpCounters;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.socket.SocketOptions;
import io.tcphealth.agent.socket.SocketSource;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.api.v1alpha1.GoDuration;
import io.tcphealth.api.v1alpha1.PolicyDefaults;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes one scan of a node: the sockets, totals and sysctls of each network namespace (each read
 * on a thread inside that namespace), the process table, and the owners of the sockets worth
 * attributing.
 *
 * <p>Attribution walks {@code /proc/<pid>/fd}, the expensive part of a scan, so only sockets that a
 * finding could name an owner for are looked up: everything not ESTABLISHED or TIME_WAIT,
 * ESTABLISHED sockets with unread data, a zero window or retransmits, those idle without keepalive past
 * the policy's threshold, and every socket on a port of interest. By default the
 * owners are cached between scans (see {@link SocketOwnerCache}); one scanner serves one caller at
 * a time.
 */
public final class NodeScanner {
    /** A full read every 20 scans: every 10 minutes at the agent's 30 s interval. */
    static final int FULL_READ_EVERY = 20;
    /** Fd directories read at once: one per core, at most 4, so a scan never takes over a big machine. */
    static final int FD_READERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /** The policy's default IdleWithoutKeepalive threshold, for callers without a policy. */
    static final Duration IDLE_WITHOUT_KEEPALIVE_AFTER = GoDuration.parse(PolicyDefaults.IDLE_WITHOUT_KEEPALIVE_AFTER);

    private final ProcFs procFs;
    private final NamespaceDiscovery discovery;
    private final NamespaceDiscovery fallback;
    private final NamespaceExecutor executor;
    private final SocketSource source;
    private final Clock clock;
    private final SocketOwnerCache ownerCache;
    private final CounterHistory counterHistory = new CounterHistory();
    private Path globalSysctlRoot;
    private Path cgroupRoot;
    /** Looked for on first use; empty when there is no cgroup v2 hierarchy at {@link #cgroupRoot}. */
    private Optional<CgroupTree> cgroups;

    private SocketOptionReader optionReader;

    /** The most sockets of one port in one namespace whose options are read in a scan; the rest stay unknown. */
    public static final int OPTIONS_PER_PORT = 256;

    /**
     * @param discovery finds the namespaces and which one is the host's
     * @param fallback  used when {@code discovery} cannot tell the host's namespace (PID 1's is not
     *                  readable without the right to inspect PID 1): typically "this process's own",
     *                  reported as a problem; null for none
     */
    public NodeScanner(
            ProcFs procFs,
            NamespaceDiscovery discovery,
            NamespaceDiscovery fallback,
            NamespaceExecutor executor,
            SocketSource source,
            Clock clock) {
        this(procFs, discovery, fallback, executor, source, clock, OwnerAttribution.CACHE_BETWEEN_SCANS);
    }

    public NodeScanner(
            ProcFs procFs,
            NamespaceDiscovery discovery,
            NamespaceDiscovery fallback,
            NamespaceExecutor executor,
            SocketSource source,
            Clock clock,
            OwnerAttribution attribution) {
        this.procFs = procFs;
        this.discovery = discovery;
        this.fallback = fallback;
        this.executor = executor;
        this.source = source;
        this.clock = clock;
        this.ownerCache = attribution == OwnerAttribution.CACHE_BETWEEN_SCANS
                ? new SocketOwnerCache(procFs, FULL_READ_EVERY, FD_READERS)
                : null;
        this.globalSysctlRoot = procFs.path("sys");
        this.cgroupRoot = CgroupTree.besideProcRoot(procFs.root());
    }

    /**
     * Where host-wide sysctls ({@code tcp_mem}, {@code tcp_max_orphans}) are read: {@code <proc root>/sys} by default, a
     * temporary directory in tests so a fixture can stand in for a value every namespace shares.
     */
    public NodeScanner globalSysctls(Path root) {
        this.globalSysctlRoot = root;
        return this;
    }

    /**
     * Reads the options (SO_REUSEADDR, SO_REUSEPORT, SO_BINDTODEVICE) of the sockets on the ports of interest that
     * have an owner, so bind verdicts are decided from them; without it (the default) they are unknown.
     */
    public NodeScanner socketOptions(SocketOptionReader reader) {
        this.optionReader = reader;
        return this;
    }

    /**
     * Where the cgroup v2 hierarchy is mounted: beside the proc root by default ({@code /sys/fs/cgroup}, or
     * {@code /host/sys/fs/cgroup} for {@code /host/proc}, as the agent's DaemonSet mounts it).
     */
    public NodeScanner cgroupRoot(Path root) {
        this.cgroupRoot = root;
        this.cgroups = null;
        return this;
    }

    /** The processes now in these cgroups; none when the host has no cgroup v2 hierarchy where it is looked for. */
    private Set<Integer> inCgroups(Set<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return cgroups().map(tree -> tree.pidsIn(ids)).orElse(Set.of());
    }

    private Optional<CgroupTree> cgroups() {
        if (cgroups == null) {
            cgroups = CgroupTree.at(cgroupRoot);
        }
        return cgroups;
    }

    /** What the owner cache did in the last scan; empty when owners are not cached. */
    public Optional<SocketOwnerCache.Stats> lastOwnerCacheStats() {
        return ownerCache == null ? Optional.empty() : Optional.of(ownerCache.lastStats());
    }

    /**
     * @throws IOException when not even the host namespace could be scanned; any other part that
     *                     cannot be read is reported in {@link NodeScan#problems()}
     */
    public NodeScan scan(ScanScope scope, Set<Integer> portsOfInterest) throws IOException, InterruptedException {
        return scan(scope, portsOfInterest, IDLE_WITHOUT_KEEPALIVE_AFTER);
    }

    /**
     * @param idleWithoutKeepaliveAfter connections idle without keepalive for this long get their owners looked up
     *                                  (the IdleWithoutKeepalive threshold of the policy)
     * @throws IOException when not even the host namespace could be scanned
     */
    public NodeScan scan(ScanScope scope, Set<Integer> portsOfInterest, Duration idleWithoutKeepaliveAfter)
            throws IOException, InterruptedException {
        Instant start = clock.instant();
        long startNanos = System.nanoTime();
        ScanProblems problems = new ScanProblems();

        NamespaceSweep found;
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
                    + (found.unreadableSamples().isEmpty()
                            ? ""
                            : " (" + found.unreadableSamples().get(0) + ")"));
        }
        List<NetNamespace> targets = scope == ScanScope.ALL ? found.namespaces() : List.of(found.host());

        List<NamespaceScan> scans = new ArrayList<>();
        Map<Long, Map<Integer, String>> devices = new java.util.concurrent.ConcurrentHashMap<>();
        for (NetNamespace ns : targets) {
            try {
                scans.add(scanNamespace(ns, problems, portsOfInterest, devices));
            } catch (IOException e) {
                if (ns.host()) {
                    throw new IOException(
                            "Cannot scan the host network namespace (" + ns.path() + "): " + e.getMessage(), e);
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
        Set<Long> wanted =
                AttributionTargets.inodesWorthAttributing(scans, portsOfInterest, idleWithoutKeepaliveAfter.toMillis());
        if (ownerCache == null) {
            addAll(owners, walker.scan(SocketOwners.Scope.everything().onlyInodes(wanted), problems));
        } else {
            Set<Integer> candidates = new HashSet<>();
            targets.forEach(ns -> candidates.addAll(ns.pids()));
            addAll(
                    owners,
                    ownerCache.owners(
                            table,
                            candidates,
                            AttributionTargets.listedInodes(scans),
                            wanted,
                            () -> inCgroups(AttributionTargets.creatorCgroups(scans, wanted)),
                            AttributionTargets.creatorUids(scans, wanted),
                            problems));
        }
        // Whatever a dead thread-group leader's live threads hold is worth naming, in any state.
        List<Integer> deadLeaders = table.zombieLeadersWithLiveThreads().stream()
                .map(ProcessInfo::pid)
                .toList();
        if (!deadLeaders.isEmpty()) {
            addAll(owners, walker.scan(SocketOwners.Scope.pids(deadLeaders), problems));
        }
        long durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
        Set<Integer> outOfScope = new HashSet<>();
        for (NetNamespace ns : found.namespaces()) {
            if (!targets.contains(ns)) {
                outOfScope.addAll(ns.pids());
            }
        }
        BindFacts bindFacts = optionReader == null || portsOfInterest.isEmpty()
                ? BindFacts.NONE
                : new BindFacts(readOptions(scans, portsOfInterest, owners), devices);
        return new NodeScan(
                start,
                durationMillis,
                source.name(),
                counterHistory.withRises(scans, start),
                processes,
                owners,
                problems.messages(),
                outOfScope,
                bindFacts,
                orphanContainers(scans));
    }

    /**
     * The containers whose cgroups made the orphaned sockets (no fd left to say whose they are), by cgroup id: on
     * cgroup v2 the socket keeps its creator's cgroup, and the cgroup's path names the container and pod.
     */
    private Map<Long, ContainerRef> orphanContainers(List<NamespaceScan> scans) {
        Set<Long> ids = new HashSet<>();
        for (NamespaceScan ns : scans) {
            for (TcpSocket s : ns.sockets()) {
                if (s.inode() == 0 && s.cgroupId() != 0) {
                    ids.add(s.cgroupId());
                }
            }
        }
        if (ids.isEmpty() || cgroups().isEmpty()) {
            return Map.of();
        }
        Map<Long, ContainerRef> out = new HashMap<>();
        cgroups().get().paths(ids).forEach((id, path) -> {
            ContainerRef container = CgroupParser.fromPath(path);
            if (container != null) {
                out.put(id, container);
            }
        });
        return out;
    }

    /**
     * The options of the sockets on the ports of interest that a process holds (at most {@link #OPTIONS_PER_PORT} a
     * port and namespace): a few copied descriptors, never one for every socket of a scan. TIME_WAIT and request
     * sockets have no descriptor.
     */
    private Map<Long, SocketOptions> readOptions(
            List<NamespaceScan> scans, Set<Integer> ports, Map<Long, List<SocketOwner>> owners) {
        Map<Long, SocketOptions> out = new HashMap<>();
        for (NamespaceScan ns : scans) {
            Map<Integer, Integer> read = new HashMap<>();
            for (TcpSocket s : ns.sockets()) {
                List<SocketOwner> holders = owners.get(s.inode());
                if (s.inode() == 0 || holders == null || holders.isEmpty() || !ports.contains(s.localPort())) {
                    continue;
                }
                if (read.merge(s.localPort(), 1, Integer::sum) > OPTIONS_PER_PORT) {
                    continue;
                }
                out.put(s.inode(), optionReader.read(s.inode(), holders));
            }
        }
        return out;
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

    /** Scans one namespace's sockets, totals and sysctls on a thread inside it. */
    public NamespaceScan scanNamespace(NetNamespace ns, ScanProblems problems)
            throws IOException, InterruptedException {
        return scanNamespace(ns, problems, Set.of(), new HashMap<>());
    }

    /** As above; also puts the names of the devices sockets on {@code ports} are bound to in {@code devices}. */
    private NamespaceScan scanNamespace(
            NetNamespace ns, ScanProblems problems, Set<Integer> ports, Map<Long, Map<Integer, String>> devices)
            throws IOException, InterruptedException {
        return executor.call(ns, () -> {
            NamespaceScan scan = scanInside(ns, problems);
            if (optionReader != null && !ports.isEmpty()) {
                // Interface indexes are per namespace: named here, on the thread that is inside it.
                Map<Integer, String> names = new HashMap<>();
                for (TcpSocket s : scan.sockets()) {
                    if (s.boundInterface() > 0
                            && ports.contains(s.localPort())
                            && !names.containsKey(s.boundInterface())) {
                        String name = optionReader.deviceName(s.boundInterface());
                        if (name != null) {
                            names.put(s.boundInterface(), name);
                        }
                    }
                }
                devices.put(ns.inode(), names);
            }
            return scan;
        });
    }

    private NamespaceScan scanInside(NetNamespace ns, ScanProblems problems) throws IOException {
        SockStat sockStat = null;
        Path sockstatFile = procFs.path("thread-self", "net", "sockstat");
        try {
            sockStat = SockStat.parse(sockstatFile.toString(), procFs.read(sockstatFile));
        } catch (IOException e) {
            problems.couldNotRead(sockstatFile, e);
        }
        List<TcpSocket> sockets =
                hasNoSockets(sockStat) && ipv6InUse() == 0 ? List.of() : source.sockets(TcpState.all());
        // /proc/sys/net answers for the namespace of the thread that opens the file: this one.
        TcpSysctls sysctls = new SysctlReader(procFs.path("sys")).tcpSysctls(problems);
        if (ns.host() && !globalSysctlRoot.equals(procFs.path("sys"))) {
            // tcp_max_orphans is host-wide: read where host-wide keys live, as tcp_mem is.
            long maxOrphans = new SysctlReader(globalSysctlRoot)
                    .tryRead(SysctlKey.TCP_MAX_ORPHANS, problems)
                    .orElse(-1);
            sysctls = new TcpSysctls(
                    maxOrphans,
                    sysctls.keepaliveTime(),
                    sysctls.keepaliveIntvl(),
                    sysctls.keepaliveProbes(),
                    sysctls.finTimeout(),
                    sysctls.orphanRetries());
        }
        NetLimits limits = NetLimits.read(procFs.path("sys"), ns.host() ? globalSysctlRoot : null, problems);
        TcpCounters counters = null;
        try {
            counters = TcpCounters.read(procFs, procFs.path("thread-self", "net"));
        } catch (IOException e) {
            problems.couldNotRead(procFs.path("thread-self", "net", "netstat"), e);
        }
        return new NamespaceScan(ns, sockets, sockStat, sysctls, limits, counters);
    }

    /**
     * A dump walks the kernel's socket table, which all namespaces share: an idle namespace costs
     * as much as a busy one (about 0.3 ms per 1,000 sockets on the node). sockstat's {@code inuse}
     * (hashed IPv4 sockets: listening, connecting, connected, orphaned) is counted per namespace,
     * and so is {@code tw} on current kernels (where it is node-wide it is rarely 0, and the
     * namespace is simply dumped), so when both are 0, and sockstat6's IPv6 {@code inuse} too,
     * there is nothing to dump.
     */
    static boolean hasNoSockets(SockStat sockStat) {
        return sockStat != null && sockStat.inUse() == 0 && sockStat.timeWait() == 0;
    }

    /** {@code TCP6: inuse N} of this thread's namespace, or -1 when it cannot be told. */
    private long ipv6InUse() {
        try {
            return tcp6InUse(procFs.read(procFs.path("thread-self", "net", "sockstat6")));
        } catch (IOException e) {
            return -1;
        }
    }

    static long tcp6InUse(String sockstat6) {
        for (String line : sockstat6.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[0].equals("TCP6:") && words[1].equals("inuse")) {
                return ProcNumbers.decimal(words[2]);
            }
        }
        return -1;
    }
}
