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
 * @param timerExpiresMillis milliseconds until the timer fires (0 when none); the kernel's figure is a u32, kept
 *                      as an int (capped at 24 days) so the quiet connection's silence below costs no memory
 * @param retransmits   unrecovered retransmits (or probes) of the pending timer
 * @param uid           owner's user id, as the socket was created
 * @param inode         socket inode; 0 when no file refers to it any more (an orphan or TIME_WAIT)
 * @param cookie        kernel socket cookie, stable for the socket's life; 0 when the source has none
 * @param boundInterface interface index the socket is bound to (SO_BINDTODEVICE; sock_diag's {@code idiag_if}), 0 for
 *                      none, -1 when the source does not say (/proc/net/tcp does not)
 * @param v6Only        for an IPv6 socket, whether it is IPV6_V6ONLY ({@code INET_DIAG_SKV6ONLY}); null
 *                      when the source does not say (/proc/net/tcp6 does not); false for IPv4
 * @param shutdown      {@code INET_DIAG_SHUTDOWN}: bit 0 no more receives, bit 1 no more sends
 *                      ({@code shutdown()} or a FIN); -1 when the source does not say
 * @param tcpInfo       the kernel's tcp_info; null where the kernel gives none (TIME_WAIT, request
 *                      and bound-only sockets), the source cannot ask (/proc/net/tcp), or the socket is
 *                      a quiet connection (ESTABLISHED, both queues empty, no retransmit or probe pending),
 *                      which is most sockets of a busy node and has nothing for a finding
 * @param memory        the socket's memory; null in the same cases, except that bound-only sockets have it
 * @param quietSilenceMillis for a quiet connection with no timer pending at all (no keepalive), the only tcp_info
 *                      figures kept: milliseconds since anything last arrived from the peer, the smaller of
 *                      {@code tcpi_last_data_recv} and {@code tcpi_last_ack_recv} (capped at Integer.MAX_VALUE);
 *                      -1 for every other socket (see {@link #peerSilentMillis()}). An int rather than a
 *                      tcp_info record, since most sockets of a busy node are such connections
 * @param cgroupId      the cgroup v2 id of the process that created the socket ({@code INET_DIAG_CGROUP_ID}: the
 *                      inode of its cgroup's directory), kept after that process is gone; 0 when the source does not
 *                      say (/proc/net/tcp, TIME_WAIT and request sockets, kernels before 5.9)
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
        int timerExpiresMillis,
        int retransmits,
        int uid,
        long inode,
        long cookie,
        int boundInterface,
        Boolean v6Only,
        int shutdown,
        TcpInfo tcpInfo,
        SocketMemory memory,
        int quietSilenceMillis,
        long cgroupId) {

    /** A socket without the quiet connection's silence, and whose cgroup is not known. */
    public TcpSocket(
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
            long cookie,
            int boundInterface,
            Boolean v6Only,
            int shutdown,
            TcpInfo tcpInfo,
            SocketMemory memory) {
        this(
                state,
                local,
                localPort,
                remote,
                remotePort,
                recvQueue,
                sendQueue,
                timer,
                (int) Math.min(timerExpiresMillis, Integer.MAX_VALUE),
                retransmits,
                uid,
                inode,
                cookie,
                boundInterface,
                v6Only,
                shutdown,
                tcpInfo,
                memory,
                -1,
                0);
    }

    /** A socket as /proc/net/tcp describes it: nothing beyond its columns is known, not even its device. */
    public TcpSocket(
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
        this(
                state,
                local,
                localPort,
                remote,
                remotePort,
                recvQueue,
                sendQueue,
                timer,
                timerExpiresMillis,
                retransmits,
                uid,
                inode,
                cookie,
                -1,
                local instanceof java.net.Inet6Address ? null : Boolean.FALSE,
                -1,
                null,
                null);
    }

    /** Bound to an address and port, neither listening nor connected ({@code bind()} and nothing else). */
    public boolean isBoundOnly() {
        return state == TcpState.CLOSE;
    }

    /**
     * How long the kernel says the connection has been idle, in milliseconds (see
     * {@link TcpInfo#idleMillis()}); -1 when it does not say.
     */
    public long kernelIdleMillis() {
        return tcpInfo == null ? -1 : tcpInfo.idleMillis();
    }

    /**
     * Milliseconds since data or an acknowledgement last arrived from the peer, by the kernel's clock: from the
     * tcp_info when there is one, else the quiet connection's {@link #quietSilenceMillis()}; -1 when unknown.
     */
    public long peerSilentMillis() {
        if (quietSilenceMillis >= 0) {
            return quietSilenceMillis;
        }
        return tcpInfo == null ? -1 : Math.min(tcpInfo.lastDataRecvMillis(), tcpInfo.lastAckRecvMillis());
    }

    /**
     * ESTABLISHED, both queues empty, no timer pending at all (so no keepalive timer), and the peer silent for at
     * least {@code thresholdMillis}: a connection a middlebox may have forgotten without either end knowing.
     */
    public boolean isIdleWithoutKeepalive(long thresholdMillis) {
        return state == TcpState.ESTABLISHED
                && timer == TimerKind.NONE
                && recvQueue == 0
                && sendQueue == 0
                && peerSilentMillis() >= thresholdMillis;
    }

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
