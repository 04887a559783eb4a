package io.tcphealth.agent.remediation;

import io.tcphealth.agent.diagnosis.Ages;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.scan.NamespaceScan;
import io.tcphealth.agent.scan.NodeScan;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Hand-made scans for remediation tests: one host namespace, sockets with ages, processes. */
final class Fixture {
    static final NetNamespace HOST = new NetNamespace(4026531840L, Path.of("/run/netns/h"), true, List.of(100));
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    final List<TcpSocket> sockets = new ArrayList<>();
    final Map<TcpSocket, Duration> socketAges = new HashMap<>();
    final Map<Integer, ProcessInfo> processes = new HashMap<>();
    final Map<Integer, Duration> zombieAges = new HashMap<>();
    final Map<Long, List<SocketOwner>> owners = new HashMap<>();
    /** Processes living in a network namespace the scan does not cover. */
    final Set<Integer> elsewhere = new TreeSet<>();

    long orphans;
    private long nextCookie = 1;

    TcpSocket socket(TcpState state, int localPort, int remotePort, int ownerPid, Duration age) {
        long inode = ownerPid == 0 ? 0 : 5000 + nextCookie;
        TcpSocket s = new TcpSocket(
                state,
                loopback(),
                localPort,
                loopback(),
                remotePort,
                0,
                0,
                state == TcpState.FIN_WAIT1 ? TimerKind.PERSIST : TimerKind.NONE,
                0,
                0,
                0,
                inode,
                nextCookie++);
        sockets.add(s);
        if (age != null) {
            socketAges.put(s, age);
        }
        if (ownerPid != 0) {
            owners.put(inode, List.of(new SocketOwner(ownerPid, 3)));
        }
        return s;
    }

    Fixture process(int pid, int ppid, char state, String comm, Duration zombieAge) {
        processes.put(pid, new ProcessInfo(pid, ppid, state, comm, 1000 + pid, 1, 5, 1024, false, null));
        if (zombieAge != null) {
            zombieAges.put(pid, zombieAge);
        }
        return this;
    }

    Fixture kernelThread(int pid, String comm) {
        processes.put(pid, new ProcessInfo(pid, 2, 'I', comm, 1, 1, -1, -1, true, null));
        return this;
    }

    Fixture inAnotherNamespace(int pid) {
        elsewhere.add(pid);
        return this;
    }

    /** The host namespace holds pid 100 and every process not put in another namespace. */
    NodeScan scan() {
        Set<Integer> hostPids = new TreeSet<>(HOST.pids());
        processes.keySet().stream().filter(pid -> !elsewhere.contains(pid)).forEach(hostPids::add);
        NetNamespace host = new NetNamespace(HOST.inode(), HOST.path(), true, List.copyOf(hostPids));
        return new NodeScan(
                NOW,
                1,
                "test",
                List.of(new NamespaceScan(host, sockets, new SockStat(0, orphans, 0, 0, 0), null)),
                processes,
                owners,
                List.of());
    }

    Ages ages() {
        return new Ages() {
            @Override
            public Duration socketAge(NetNamespace namespace, TcpSocket socket) {
                return socketAges.get(socket);
            }

            @Override
            public Duration zombieAge(ProcessInfo process) {
                return zombieAges.get(process.pid());
            }
        };
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
