package io.tcphealth.agent.scan;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.NetLimits;
import io.tcphealth.agent.proc.SockStat;
import io.tcphealth.agent.proc.TcpCounters;
import io.tcphealth.agent.proc.TcpSysctls;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one scan saw in one network namespace.
 *
 * @param namespace the namespace
 * @param sockets   its TCP sockets (IPv4 and IPv6)
 * @param sockStat  its {@code /proc/net/sockstat} TCP line, or null when unreadable
 * @param sysctls   its TCP sysctls as read from inside it, or null when unreadable
 * @param limits    its port range, TIME_WAIT and backlog limits (and, for the host's, {@code tcp_mem}),
 *                  or null when not read
 * @param counters  its own TCP counters ({@code /proc/net/snmp}, {@code /proc/net/netstat}) and their
 *                  rise since the previous scan, or null when unreadable
 */
public record NamespaceScan(
        NetNamespace namespace,
        List<TcpSocket> sockets,
        SockStat sockStat,
        TcpSysctls sysctls,
        NetLimits limits,
        TcpCounters counters) {

    public NamespaceScan {
        sockets = List.copyOf(sockets);
    }

    /** A scan without limits or counters. */
    public NamespaceScan(NetNamespace namespace, List<TcpSocket> sockets, SockStat sockStat, TcpSysctls sysctls) {
        this(namespace, sockets, sockStat, sysctls, null, null);
    }

    public Map<TcpState, Long> countByState() {
        Map<TcpState, Long> counts = new EnumMap<>(TcpState.class);
        for (TcpSocket s : sockets) {
            counts.merge(s.state(), 1L, Long::sum);
        }
        return counts;
    }
}
