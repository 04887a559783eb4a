package io.tcphealth.agent.socket;

import java.net.InetAddress;

/**
 * One TCP socket as the kernel reports it.
 *
 * @param state         TCP state
 * @param local         local address (IPv4-mapped IPv6 addresses stay IPv6, as the kernel reports them)
 * @param localPort     local port
 * @param remote        remote address; the wildcard address for listeners
 * @param remotePort    remote port, 0 for listeners
 * @param recvQueue     bytes received and not read by the owner; for listeners, the accept backlog
 * @param sendQueue     bytes sent and not acknowledged; for listeners, the maximum backlog
 * @param timer         pending timer
 * @param timerExpiresMillis milliseconds until the timer fires (0 when none)
 * @param retransmits   unrecovered retransmits (or probes) of the pending timer
 * @param uid           owner's user id, as the socket was created
 * @param inode         socket inode; 0 when no file refers to it any more (an orphan or TIME_WAIT)
 * @param cookie        kernel socket cookie, stable for the socket's life; 0 when the source has none
 */
public record TcpSocket(
        TcpState state,
        InetAddress local,
        int localPort,
        InetAddress remote,
        int remotePort,
        long recvQueue,
        long sendQueue,
        TimerKind timer,
        long timerExpiresMillis,
        int retransmits,
        int uid,
        long inode,
        long cookie) {

    public boolean isIpv6() {
        return local instanceof java.net.Inet6Address;
    }

    /** No process has a file descriptor for it: closed by its owner, kept alive by the kernel. */
    public boolean isOrphan() {
        return inode == 0 && state != TcpState.TIME_WAIT && state != TcpState.NEW_SYN_RECV;
    }

    /** "addr:port" as {@code ss} prints it, with brackets around IPv6 addresses. */
    public String localEndpoint() {
        return Endpoints.format(local, localPort);
    }

    public String remoteEndpoint() {
        return Endpoints.format(remote, remotePort);
    }
}
