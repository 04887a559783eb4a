package io.tcphealth.agent.socket.netlink;

import io.tcphealth.agent.nativeio.Libc;
import io.tcphealth.agent.socket.SocketSource;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Lists TCP sockets with {@code inet_diag} dumps over {@code NETLINK_SOCK_DIAG}, one dump for IPv4
 * and one for IPv6, with the state filter applied in the kernel.
 *
 * <p>Each call opens its own netlink socket on the calling thread, so the answer is always about the
 * network namespace that thread is in (see {@code NamespaceExecutor}). Safe to call from several
 * threads at once.
 */
public final class NetlinkSocketSource implements SocketSource {
    /** Made when first needed: the platform logger's set-up is start-up time a scan that logs nothing saves. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(NetlinkSocketSource.class.getName());
    }

    /** Comfortably above the ~32 KiB the kernel puts in one dump datagram. */
    static final int RECEIVE_BUFFER_BYTES = 128 * 1024;

    static final int SOCKET_BUFFER_BYTES = 1024 * 1024;
    static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(10);

    /** TCP_BOUND_INACTIVE (13): a filter bit only, never a state a socket is reported in. */
    static final int BOUND_INACTIVE_BIT = 1 << 13;

    private final Libc libc;
    private final Duration replyTimeout;

    public NetlinkSocketSource(Libc libc) {
        this(libc, DEFAULT_REPLY_TIMEOUT);
    }

    /** @param replyTimeout how long the kernel may stay silent in the middle of a dump */
    public NetlinkSocketSource(Libc libc, Duration replyTimeout) {
        this.libc = libc;
        this.replyTimeout = replyTimeout;
    }

    @Override
    public List<TcpSocket> sockets(Set<TcpState> states) throws IOException {
        int mask = kernelFilter(states);
        List<TcpSocket> result = new ArrayList<>();
        if (mask == 0) {
            return result;
        }
        AddressCache addresses = new AddressCache();
        InetDiagDecoder decoder = new InetDiagDecoder(mask, result, addresses);
        try (NetlinkChannel channel =
                new NetlinkChannel(libc, RECEIVE_BUFFER_BYTES, SOCKET_BUFFER_BYTES, replyTimeout)) {
            channel.exchange(InetDiagRequest.dump(InetDiagRequest.AF_INET, mask), decoder);
            channel.exchange(InetDiagRequest.dump(InetDiagRequest.AF_INET6, mask), decoder);
        }
        if (decoder.malformedAttributes() > 0) {
            Log.LOG.log(
                    System.Logger.Level.WARNING,
                    "Netlink dump had malformed attributes on {0} sockets; their tcp_info or memory is left out",
                    decoder.malformedAttributes());
        }
        if (decoder.skipped() > 0) {
            Log.LOG.log(
                    System.Logger.Level.DEBUG,
                    "Netlink dump left out {0} sockets in states not asked for",
                    decoder.skipped());
        }
        return result;
    }

    /**
     * The state bits to ask the kernel for. A connection request that is answered but not yet
     * accepted is its own state (NEW_SYN_RECV) in the kernel while {@code ss} calls both it and
     * SYN_RECV "SYN-RECV"; asking for either brings both. Asking for CLOSE brings the sockets that
     * are bound and nothing else, which hold their port against {@code bind()} all the same.
     */
    static int kernelFilter(Set<TcpState> states) {
        int mask = TcpState.filterOf(states);
        if (states.contains(TcpState.CLOSE)) {
            // A socket that is bound and nothing else sits in none of the tables the dump walks by
            // state; kernels that know the pseudo-state TCP_BOUND_INACTIVE walk the bind table for
            // it when that bit is asked for, and report it as TCP_CLOSE. Older kernels ignore the bit.
            mask |= BOUND_INACTIVE_BIT;
        }
        if (states.contains(TcpState.SYN_RECV) || states.contains(TcpState.NEW_SYN_RECV)) {
            mask |= TcpState.SYN_RECV.filterBit() | TcpState.NEW_SYN_RECV.filterBit();
        }
        return mask;
    }

    @Override
    public String name() {
        return "netlink";
    }
}
