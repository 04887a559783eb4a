package io.tcphealth.agent.socket.netlink;

import io.tcphealth.agent.socket.SocketMemory;
import io.tcphealth.agent.socket.TcpInfo;
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
 * <p>Layout (72 bytes, then attributes): family, state, timer, retransmits (u8 each);
 * {@link SocketId} (48 bytes); expires in ms, Recv-Q, Send-Q, uid, inode (u32 each, host order).
 * Of the attributes ({@code struct nlattr}: u16 length, u16 type, payload padded to 4 bytes) these
 * are read: {@code INET_DIAG_INFO} (struct tcp_info, when asked for), {@code INET_DIAG_SKMEMINFO}
 * (when asked for), {@code INET_DIAG_SHUTDOWN} and {@code INET_DIAG_SKV6ONLY} (always sent); the
 * others are skipped; a malformed one ends the attributes of its message (counted, not fatal). A kernel sends a tcp_info as long as its own version of the struct, so each
 * field is read only when the attribute reaches it.
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

    static final int ATTR_INFO = 2;
    static final int ATTR_SKMEMINFO = 7;
    static final int ATTR_SHUTDOWN = 8;
    static final int ATTR_SKV6ONLY = 11;
    /** INET_DIAG_CGROUP_ID (u64), sent for every full socket since Linux 5.9 without being asked for. */
    static final int ATTR_CGROUP_ID = 21;
    /** nla_type's top two bits are flags (nested, byte order), not part of the type. */
    private static final int ATTR_TYPE_MASK = 0x3fff;

    // struct tcp_info (include/uapi/linux/tcp.h)
    static final int TI_STATE = 0;
    static final int TI_RETRANSMITS = 2;
    static final int TI_PROBES = 3;
    static final int TI_BACKOFF = 4;
    static final int TI_RTO = 8;
    static final int TI_UNACKED = 24;
    static final int TI_LOST = 32;
    static final int TI_RETRANS = 36;
    static final int TI_LAST_DATA_SENT = 44;
    static final int TI_LAST_DATA_RECV = 52;
    static final int TI_LAST_ACK_RECV = 56;
    static final int TI_RTT = 68;
    static final int TI_TOTAL_RETRANS = 100;
    static final int TI_SND_WND = 228;
    static final int TI_RCV_WND = 232;
    /** Up to tcpi_total_retrans: every kernel since 2.6 sends at least this much. */
    static final int TI_MIN_SIZE = TI_TOTAL_RETRANS + 4;

    static final int SKMEMINFO_FIELDS = 9;

    private static final ValueLayout.OfInt NET_U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NET_U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = NetlinkHeader.U32;

    private final int stateMask;
    private final List<TcpSocket> sink;
    private final AddressCache addresses;
    private int skipped;
    private int malformedAttributes;

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
        sink.add(decode(buf, offset, length, addresses));
    }

    /** Messages whose attributes were cut short or malformed: their sockets were kept without the details. */
    int malformedAttributes() {
        return malformedAttributes;
    }

    /** Decodes the inet_diag_msg of {@code length} bytes at {@code offset}; the caller has checked its length. */
    private TcpSocket decode(MemorySegment buf, long offset, long length, AddressCache addresses) throws IOException {
        int family = Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + FAMILY));
        long id = offset + ID;
        InetAddress local;
        InetAddress remote;
        if (family == InetDiagRequest.AF_INET) {
            local = addresses.ipv4(buf.get(NET_U32, id + SocketId.SOURCE));
            remote = addresses.ipv4(buf.get(NET_U32, id + SocketId.DESTINATION));
        } else if (family == InetDiagRequest.AF_INET6) {
            local = addresses.ipv6(buf.get(NET_U64, id + SocketId.SOURCE), buf.get(NET_U64, id + SocketId.SOURCE + 8));
            remote = addresses.ipv6(
                    buf.get(NET_U64, id + SocketId.DESTINATION), buf.get(NET_U64, id + SocketId.DESTINATION + 8));
        } else {
            throw new IOException("inet_diag message of address family " + family + ", expected AF_INET or AF_INET6");
        }
        long cookie = Integer.toUnsignedLong(buf.get(U32, id + SocketId.COOKIE))
                | (Integer.toUnsignedLong(buf.get(U32, id + SocketId.COOKIE + 4)) << 32);
        int stateCode = Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + STATE));
        int timerCode = Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + TIMER));
        boolean details =
                !quiet(stateCode, timerCode, buf.get(U32, offset + RECV_QUEUE), buf.get(U32, offset + SEND_QUEUE));
        // A quiet connection without keepalive keeps two tcp_info figures, as one int: its peer's silence.
        boolean silenceOnly = !details && timerCode == 0;
        int silence = -1;
        TcpInfo info = null;
        SocketMemory memory = null;
        int shutdown = -1;
        Boolean v6Only = family == InetDiagRequest.AF_INET ? Boolean.FALSE : null;
        long cgroupId = 0;
        long attr = offset + MESSAGE_SIZE;
        long end = offset + length;
        while (attr + 4 <= end) {
            int attrLength = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT_UNALIGNED, attr));
            if (attrLength < 4 || attr + attrLength > end) {
                // The fixed part already said what matters; a broken attribute costs only the details.
                malformedAttributes++;
                break;
            }
            int type = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT_UNALIGNED, attr + 2)) & ATTR_TYPE_MASK;
            long payload = attr + 4;
            int size = attrLength - 4;
            switch (type) {
                case ATTR_INFO -> {
                    info = details && size >= TI_MIN_SIZE ? tcpInfo(buf, payload, size) : null;
                    silence = silenceOnly && size >= TI_MIN_SIZE ? silence(buf, payload) : -1;
                }
                case ATTR_SKMEMINFO -> memory = details && size >= 8 * 4 ? memory(buf, payload, size) : null;
                case ATTR_SHUTDOWN ->
                    shutdown = size >= 1 ? Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, payload)) : -1;
                case ATTR_SKV6ONLY -> v6Only = size >= 1 ? buf.get(ValueLayout.JAVA_BYTE, payload) != 0 : null;
                case ATTR_CGROUP_ID -> cgroupId = size >= 8 ? buf.get(ValueLayout.JAVA_LONG_UNALIGNED, payload) : 0;
                default -> {}
            }
            attr += (attrLength + 3) & ~3;
        }
        return new TcpSocket(
                TcpState.fromCode(Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + STATE))),
                local,
                Short.toUnsignedInt(buf.get(SocketId.PORT, id + SocketId.SOURCE_PORT)),
                remote,
                Short.toUnsignedInt(buf.get(SocketId.PORT, id + SocketId.DESTINATION_PORT)),
                Integer.toUnsignedLong(buf.get(U32, offset + RECV_QUEUE)),
                Integer.toUnsignedLong(buf.get(U32, offset + SEND_QUEUE)),
                TimerKind.fromCode(Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + TIMER))),
                (int) Math.min(Integer.toUnsignedLong(buf.get(U32, offset + EXPIRES)), Integer.MAX_VALUE),
                Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, offset + RETRANSMITS)),
                buf.get(U32, offset + UID),
                Integer.toUnsignedLong(buf.get(U32, offset + INODE)),
                cookie,
                buf.get(U32, id + SocketId.INTERFACE),
                v6Only,
                shutdown,
                info,
                memory,
                silence,
                cgroupId);
    }

    /**
     * A quiet connection: ESTABLISHED, both queues empty, no retransmit or probe pending. Most of a
     * busy node's sockets are; nothing in their tcp_info or memory makes a finding, so they are not
     * given those records (100k of them would cost tens of MiB a scan).
     */
    static boolean quiet(int stateCode, int timerCode, int recvQueue, int sendQueue) {
        return stateCode == TcpState.ESTABLISHED.code()
                && recvQueue == 0
                && sendQueue == 0
                && (timerCode == 0 || timerCode == 2); // no timer, or keepalive
    }

    private static TcpInfo tcpInfo(MemorySegment buf, long at, int size) {
        return new TcpInfo(
                Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, at + TI_STATE)),
                Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, at + TI_RETRANSMITS)),
                Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, at + TI_PROBES)),
                Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, at + TI_BACKOFF)),
                u32(buf, at + TI_RTO),
                u32(buf, at + TI_UNACKED),
                u32(buf, at + TI_LOST),
                u32(buf, at + TI_RETRANS),
                u32(buf, at + TI_LAST_DATA_SENT),
                u32(buf, at + TI_LAST_DATA_RECV),
                u32(buf, at + TI_LAST_ACK_RECV),
                u32(buf, at + TI_RTT),
                u32(buf, at + TI_TOTAL_RETRANS),
                size >= TI_SND_WND + 4 ? u32(buf, at + TI_SND_WND) : -1,
                size >= TI_RCV_WND + 4 ? u32(buf, at + TI_RCV_WND) : -1);
    }

    /** The smaller of {@code tcpi_last_data_recv} and {@code tcpi_last_ack_recv}, capped to an int. */
    private static int silence(MemorySegment buf, long at) {
        long silent = Math.min(u32(buf, at + TI_LAST_DATA_RECV), u32(buf, at + TI_LAST_ACK_RECV));
        return (int) Math.min(silent, Integer.MAX_VALUE);
    }

    /** {@code u32 skmeminfo[SK_MEMINFO_VARS]}; the drop counter came last (3.x), so it may be missing. */
    private static SocketMemory memory(MemorySegment buf, long at, int size) {
        return new SocketMemory(
                u32(buf, at),
                u32(buf, at + 4),
                u32(buf, at + 8),
                u32(buf, at + 12),
                u32(buf, at + 16),
                u32(buf, at + 20),
                u32(buf, at + 24),
                u32(buf, at + 28),
                size >= SKMEMINFO_FIELDS * 4 ? u32(buf, at + 32) : -1);
    }

    private static long u32(MemorySegment buf, long at) {
        return Integer.toUnsignedLong(buf.get(U32, at));
    }
}
