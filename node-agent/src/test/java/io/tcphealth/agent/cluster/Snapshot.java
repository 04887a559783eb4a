package io.tcphealth.agent.cluster;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ContainerRef;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Node scans built by hand: a host namespace, processes (optionally in a pod's container) and their sockets; what a
 * fake scanner hands the agent instead of reading the kernel. Shared with the fleet tests through this module's test
 * jar (it needs the agent's own types, so it cannot live in the test-support module).
 */
public final class Snapshot {
    public static final NetNamespace HOST = new NetNamespace(4026531840L, Path.of("/proc/1/ns/net"), true, List.of(1));

    private final List<TcpSocket> sockets = new ArrayList<>();
    private final Map<Integer, ProcessInfo> processes = new HashMap<>();
    private final Map<Long, List<SocketOwner>> owners = new HashMap<>();
    private Instant time = Instant.parse("2026-01-01T00:00:00Z");
    private long nextInode = 1000;
    private int nextPort = 40000;

    /** The scan's start; 2026-01-01T00:00:00Z unless set. */
    public Snapshot at(Instant t) {
        time = t;
        return this;
    }

    /** A process, in a pod's container when {@code podUid} is given. */
    public Snapshot process(int pid, String comm, String podUid, String containerId) {
        processes.put(
                pid,
                new ProcessInfo(
                        pid,
                        1,
                        'S',
                        comm,
                        100 + pid,
                        1,
                        10,
                        1024,
                        false,
                        podUid == null ? null : new ContainerRef("containerd", containerId, podUid)));
        return this;
    }

    public Snapshot sockets(int count, TcpState state, int port, int pid) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; i < count; i++) {
            long inode = nextInode++;
            sockets.add(new TcpSocket(state, lo, port, lo, nextPort++, 0, 0, TimerKind.NONE, 0, 0, 0, inode, inode));
            owners.computeIfAbsent(inode, k -> new ArrayList<>()).add(new SocketOwner(pid, 3 + i));
        }
        return this;
    }

    public NodeScan build() {
        return new NodeScan(
                time,
                3,
                "test",
                List.of(new NamespaceScan(
                        HOST,
                        sockets,
                        new SockStat(sockets.size(), 0, 0, 0, 0),
                        new TcpSysctls(65536, 7200, 75, 9, 60, 0))),
                processes,
                owners,
                List.of());
    }

    /** A quiet node scanned now: a few established connections and a listener. */
    public static NodeScan quiet() {
        return new Snapshot()
                .at(Instant.now())
                .process(500, "nginx", null, null)
                .sockets(1, TcpState.LISTEN, 80, 500)
                .sockets(12, TcpState.ESTABLISHED, 80, 500)
                .build();
    }

    /** Scanned now: {@code count} CLOSE_WAIT sockets on {@code port} held by java (pid 4711) in a pod's container. */
    public static NodeScan closeWaitLeak(int count, int port, String podUid, String containerId) {
        return new Snapshot()
                .at(Instant.now())
                .process(4711, "java", podUid, containerId)
                .sockets(1, TcpState.LISTEN, port, 4711)
                .sockets(count, TcpState.CLOSE_WAIT, port, 4711)
                .build();
    }
}
