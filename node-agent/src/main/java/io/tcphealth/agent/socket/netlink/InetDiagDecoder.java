package io.tcphealth.agent.socket.netlink;

import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import io.tcphealth.agent.socket.TimerKind;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Turns {@code struct inet_diag_msg} replies into {@link TcpSocket} records.
 *
 * <p>Layout (72 bytes, then optional attributes, which are skipped): family, state, timer,
 * retransmits (u8 each); {@link SocketId} (48 bytes); expires in ms, Recv-Q, Send-Q, uid, inode
 * (u32 each, host order).
 */
final class InetDiagDecoder implements NetlinkReplies.PayloadHandler {
    static final int MESSAGE_SIZE = 72;

    static final int FAMILY = 0;
    static final int STATE = 1;
    static final int TIMER = 2;
    static final int RETRANSMITS = 3;
    static final int ID = 4;
    static final int EXPIRES = 52;
    static final int RECV_QUEUE = 56;
    static final int SEND_QUEUE = 60;
    static final int UID = 64;
    static final int INODE = 68;

    private static final ValueLayout.OfInt NET_U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NET_U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = NetlinkHeader.U32;

    private final int stateMask;
    private final List<TcpSocket> sink;
    private final AddressCache addresses;
    private int skipped;

    /**
     * @param stateMask only sockets whose state bit is set here are kept (the kernel filters too;
     *                  this makes the result exact whatever the kernel adds)
     * @param sink      where decoded sockets go
     */
    InetDiagDecoder(int stateMask, List<TcpSocket> sink, AddressCache addresses) {
        this.stateMask = stateMask;
        this.sink = sink;
        this.addresses = addresses;
    }

    /** Sockets left out because their state was not asked for or is unknown to us. */
    int skipped() {
        return skipped;
    }

    @Override
    public void message(int type, MemorySegment buf, long offset, long length) throws IOException {
        if (type != InetDiagRequest.SOCK_DIAG_BY_FAMILY) {
            throw new IOException("Unexpected netlink message type " + type + " in an inet_diag reply");
        }
        if (length < MESSAGE_SIZE) {
            throw new IOException("Truncated inet_diag message: " + length + " bytes, " + MESSAGE_SIZE + " needed");
        }
        int stateCode = Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + STATE));
        // State numbers past NEW_SYN_RECV (TCP_BOUND_INACTIVE since 6.5) only come when asked for.
        if (stateCode == 0 || stateCode > TcpState.NEW_SYN_RECV.code() || (stateMask & (1 << stateCode)) == 0) {
            skipped++;
            return;
        }
        sink.add(decode(buf, offset, addresses));
    }

    /** Decodes the inet_diag_msg at {@code offset}; the caller has checked its length. */
    static TcpSocket decode(MemorySegment buf, long offset, AddressCache addresses) throws IOException {
        int family = Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + FAMILY));
        long id = offset + ID;
        InetAddress local;
        InetAddress remote;
        if (family == InetDiagRequest.AF_INET) {
            local = addresses.ipv4(buf.get(NET_U32, id + SocketId.SOURCE));
            remote = addresses.ipv4(buf.get(NET_U32, id + SocketId.DESTINATION));
        } else if (family == InetDiagRequest.AF_INET6) {
            local = addresses.ipv6(buf.get(NET_U64, id + SocketId.SOURCE), buf.get(NET_U64, id + SocketId.SOURCE + 8));
            remote = addresses.ipv6(buf.get(NET_U64, id + SocketId.DESTINATION),
                    buf.get(NET_U64, id + SocketId.DESTINATION + 8));
        } else {
            throw new IOException("inet_diag message of address family " + family + ", expected AF_INET or AF_INET6");
        }
        long cookie = Integer.toUnsignedLong(buf.get(U32, id + SocketId.COOKIE))
                | (Integer.toUnsignedLong(buf.get(U32, id + SocketId.COOKIE + 4)) << 32);
        return new TcpSocket(
                TcpState.fromCode(Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + STATE))),
                local,
                Short.toUnsignedInt(buf.get(SocketId.PORT, id + SocketId.SOURCE_PORT)),
                remote,
                Short.toUnsignedInt(buf.get(SocketId.PORT, id + SocketId.DESTINATION_PORT)),
                Integer.toUnsignedLong(buf.get(U32, offset + RECV_QUEUE)),
                Integer.toUnsignedLong(buf.get(U32, offset + SEND_QUEUE)),
                TimerKind.fromCode(Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + TIMER))),
                Integer.toUnsignedLong(buf.get(U32, offset + EXPIRES)),
                Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + RETRANSMITS)),
                buf.get(U32, offset + UID),
                Integer.toUnsignedLong(buf.get(U32, offset + INODE)),
                cookie);
    }
}
