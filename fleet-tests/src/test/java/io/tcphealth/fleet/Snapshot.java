package io.tcphealth.fleet;

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

/** A prepared node scan: what a fake scanner hands the agent instead of reading the kernel. */
final class Snapshot {
    static final NetNamespace HOST = new NetNamespace(4026531840L, Path.of("/proc/1/ns/net"), true, List.of(1));

    private final List<TcpSocket> sockets = new ArrayList<>();
    private final Map<Integer, ProcessInfo> processes = new HashMap<>();
    private final Map<Long, List<SocketOwner>> owners = new HashMap<>();
    private long orphans;
    private long nextInode = 1000;
    private int nextPort = 40000;

    /** A process, in a pod's container when {@code podUid} is given. */
    Snapshot process(int pid, String comm, String podUid, String containerId) {
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

    Snapshot sockets(int count, TcpState state, int port, int pid) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; i < count; i++) {
            long inode = pid == 0 ? 0 : nextInode++;
            sockets.add(
                    new TcpSocket(state, lo, port, lo, nextPort++, 0, 0, TimerKind.NONE, 0, 0, 0, inode, nextInode++));
            if (pid != 0) {
                owners.computeIfAbsent(inode, k -> new ArrayList<>()).add(new SocketOwner(pid, 3 + i));
            }
        }
        return this;
    }

    Snapshot orphans(long count) {
        orphans = count;
        return this;
    }

    NodeScan build() {
        return new NodeScan(
                Instant.now(),
                2,
                "test",
                List.of(new NamespaceScan(
                        HOST,
                        sockets,
                        new SockStat(sockets.size(), orphans, 0, 0, 0),
                        new TcpSysctls(65536, 7200, 75, 9, 60, 0))),
                processes,
                owners,
                List.of());
    }

    /** A quiet node: a few established connections and a listener. */
    static NodeScan quiet() {
        return new Snapshot()
                .process(500, "nginx", null, null)
                .sockets(1, TcpState.LISTEN, 80, 500)
                .sockets(12, TcpState.ESTABLISHED, 80, 500)
                .build();
    }

    /** {@code count} CLOSE_WAIT sockets on {@code port} held by java (pid 4711) in a pod's container. */
    static NodeScan closeWaitLeak(int count, int port, String podUid, String containerId) {
        return new Snapshot()
                .process(4711, "java", podUid, containerId)
                .sockets(1, TcpState.LISTEN, port, 4711)
                .sockets(count, TcpState.CLOSE_WAIT, port, 4711)
                .build();
    }
}
