package io.tcphealth.agent.scan;

import io.tcphealth.agent.proc.NetLimits;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a namespace's outgoing connections go. {@code connect()} without {@code bind()} picks a
 * local port from {@code ip_local_port_range} such that (local address, local port, remote
 * address, remote port) is unique, so each destination has its own pool of that range's size;
 * TIME_WAIT sockets keep their port for 60 s after the close. When a pool is empty, {@code connect()}
 * fails with EADDRNOTAVAIL ("cannot assign requested address").
 *
 * @param local      the local address the connections leave from
 * @param remote     the destination address
 * @param remotePort the destination port
 */
public record Destination(InetAddress local, InetAddress remote, int remotePort) {

    /** The kernel's default range, 32768-60999, for a namespace whose own could not be read. */
    public static final long DEFAULT_LOCAL_PORTS = 28232;

    /** Past this share of a pool in use, the connections of a destination are worth naming an owner for. */
    private static final double CROWDED = 0.5;

    // equals and hashCode written out, as in NetNamespace: the generated ones bootstrap at first use, which a one-shot
    // diagnose pays for in start-up time.
    @Override
    public boolean equals(Object o) {
        return o instanceof Destination d
                && remotePort == d.remotePort
                && local.equals(d.local)
                && remote.equals(d.remote);
    }

    @Override
    public int hashCode() {
        return (local.hashCode() * 31 + remote.hashCode()) * 31 + remotePort;
    }

    public static Destination of(TcpSocket s) {
        return new Destination(s.local(), s.remote(), s.remotePort());
    }

    /** A socket that holds a port of the pool: a connection whose local port lies in the range. */
    public static boolean usesPool(TcpSocket s, NetLimits limits) {
        if (s.state() == TcpState.LISTEN || s.remotePort() == 0) {
            return false;
        }
        if (limits == null || limits.localPorts() < 0) {
            return s.localPort() >= 32768 && s.localPort() <= 60999;
        }
        return limits.inLocalRange(s.localPort());
    }

    public static long poolSize(NetLimits limits) {
        return limits == null || limits.localPorts() < 0 ? DEFAULT_LOCAL_PORTS : limits.localPorts();
    }

    /** Pool sockets per destination in one namespace. */
    public static Map<Destination, Long> usage(NamespaceScan ns) {
        Map<Destination, Long> out = new HashMap<>();
        for (TcpSocket s : ns.sockets()) {
            if (usesPool(s, ns.limits())) {
                out.merge(of(s), 1L, Long::sum);
            }
        }
        return out;
    }

    /** Destinations that use at least half their pool. */
    static Set<Destination> crowded(NamespaceScan ns) {
        long pool = poolSize(ns.limits());
        Set<Destination> out = new HashSet<>();
        usage(ns).forEach((d, n) -> {
            if (n >= pool * CROWDED) {
                out.add(d);
            }
        });
        return out;
    }
}
