package io.tcphealth.agent.diagnosis;

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
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds scans by hand for diagnosis tests: one host namespace, processes, sockets and owners. */
final class ScanFixture {
    static final NetNamespace HOST = new NetNamespace(4026531840L, Path.of("/proc/1/ns/net"), true, List.of(1));
    static final TcpSysctls DEFAULT_SYSCTLS = new TcpSysctls(65536, 7200, 75, 9, 60, 0);

    private final List<TcpSocket> sockets = new ArrayList<>();
    private final Map<Integer, ProcessInfo> processes = new HashMap<>();
    private final Map<Long, List<SocketOwner>> owners = new HashMap<>();
    private SockStat sockStat = new SockStat(0, 0, 0, 0, 0);
    private TcpSysctls sysctls = DEFAULT_SYSCTLS;
    private Instant time = Instant.parse("2026-01-01T00:00:00Z");
    private long nextInode = 1000;
    private int nextClientPort = 40000;

    ScanFixture process(int pid, int ppid, char state, String comm) {
        return process(new ProcessInfo(pid, ppid, state, comm, 100 + pid, 1, 10, 1024, false, null));
    }

    ScanFixture process(ProcessInfo p) {
        processes.put(p.pid(), p);
        return this;
    }

    static ProcessInfo containerProcess(int pid, int ppid, char state, String comm, String containerId) {
        return new ProcessInfo(
                pid,
                ppid,
                state,
                comm,
                100 + pid,
                1,
                10,
                1024,
                false,
                new ContainerRef("containerd", containerId, "0b6c5f4e-1111-2222-3333-444455556666"));
    }

    /** {@code count} sockets in {@code state} on local port {@code port}, held by {@code pid} (0: orphans). */
    ScanFixture sockets(int count, TcpState state, int port, int pid, long recvQueue) {
        for (int i = 0; i < count; i++) {
            long inode = pid == 0 ? 0 : nextInode++;
            sockets.add(socket(state, port, nextClientPort++, recvQueue, 0, inode));
            if (pid != 0) {
                owners.computeIfAbsent(inode, k -> new ArrayList<>()).add(new SocketOwner(pid, 3 + i));
            }
        }
        return this;
    }

    ScanFixture socket(TcpSocket s, int pid) {
        sockets.add(s);
        if (pid != 0) {
            owners.computeIfAbsent(s.inode(), k -> new ArrayList<>()).add(new SocketOwner(pid, 3));
        }
        return this;
    }

    static TcpSocket socket(TcpState state, int localPort, int remotePort, long recvQ, long sendQ, long inode) {
        TimerKind timer = state == TcpState.FIN_WAIT1 ? TimerKind.PERSIST : TimerKind.NONE;
        return new TcpSocket(
                state,
                loopback(),
                localPort,
                state == TcpState.LISTEN ? any() : loopback(),
                state == TcpState.LISTEN ? 0 : remotePort,
                recvQ,
                sendQ,
                timer,
                0,
                0,
                0,
                inode,
                inode);
    }

    ScanFixture orphans(long orphans, long maxOrphans) {
        sockStat = new SockStat(0, orphans, 0, 0, 0);
        sysctls = new TcpSysctls(
                maxOrphans,
                sysctls.keepaliveTime(),
                sysctls.keepaliveIntvl(),
                sysctls.keepaliveProbes(),
                sysctls.finTimeout(),
                sysctls.orphanRetries());
        return this;
    }

    ScanFixture sysctls(TcpSysctls s) {
        sysctls = s;
        return this;
    }

    ScanFixture at(Instant t) {
        time = t;
        return this;
    }

    NodeScan build() {
        return new NodeScan(
                time,
                1,
                "test",
                List.of(new NamespaceScan(HOST, sockets, sockStat, sysctls)),
                processes,
                owners,
                List.of());
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static InetAddress any() {
        try {
            return InetAddress.getByAddress(new byte[] {0, 0, 0, 0});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
