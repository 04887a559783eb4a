package io.tcphealth.agent.socket.netlink;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.socket.TcpSocket;
import java.io.IOException;
import java.time.Duration;

/**
 * Destroys single TCP sockets with {@code SOCK_DESTROY} (what {@code ss -K} does): the kernel aborts
 * the socket, its owner (if any) gets {@code ECONNABORTED}, and the peer gets a reset.
 *
 * <p>The request names the socket by its 4-tuple and, when known, its cookie, so a new connection
 * that reuses the 4-tuple is never hit. Needs CAP_NET_ADMIN and a kernel with
 * {@code CONFIG_INET_DIAG_DESTROY}; without it the kernel answers {@code EOPNOTSUPP}. Like dumps, the
 * request acts on the network namespace of the calling thread.
 */
public final class NetlinkSocketDestroyer {
    private static final int SMALL_BUFFER = 8192;

    private final Libc libc;
    private final Duration replyTimeout;

    public NetlinkSocketDestroyer(Libc libc) {
        this(libc, NetlinkSocketSource.DEFAULT_REPLY_TIMEOUT);
    }

    public NetlinkSocketDestroyer(Libc libc, Duration replyTimeout) {
        this.libc = libc;
        this.replyTimeout = replyTimeout;
    }

    /**
     * @throws io.tcphealth.agent.nativeio.ErrnoException ENOENT when the socket is already gone,
     *         EOPNOTSUPP without kernel support, EPERM without CAP_NET_ADMIN
     */
    public void destroy(TcpSocket socket) throws IOException {
        try (NetlinkChannel channel = new NetlinkChannel(libc, SMALL_BUFFER, SMALL_BUFFER, replyTimeout)) {
            channel.exchange(request(socket), (type, buf, offset, length) -> {});
        }
    }

    static InetDiagRequest request(TcpSocket socket) {
        SocketId id = SocketId.of(socket);
        if (socket.cookie() == 0) {
            // A source without cookies (/proc/net/tcp) cannot name one; the 4-tuple must then do.
            id = new SocketId(
                    id.source(), id.sourcePort(), id.destination(), id.destinationPort(), 0, SocketId.NO_COOKIE);
        }
        int family = socket.isIpv6() ? InetDiagRequest.AF_INET6 : InetDiagRequest.AF_INET;
        return new InetDiagRequest(
                InetDiagRequest.SOCK_DESTROY,
                NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK,
                family,
                InetDiagRequest.IPPROTO_TCP,
                0,
                -1,
                id);
    }
}
