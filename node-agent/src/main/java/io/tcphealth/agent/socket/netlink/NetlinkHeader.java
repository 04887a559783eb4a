package io.tcphealth.agent.socket.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 16-byte {@code struct nlmsghdr} that starts every netlink message, in host byte order:
 * length (u32, header included), type (u16), flags (u16), sequence number (u32), port id (u32).
 */
final class NetlinkHeader {
    static final int SIZE = 16;

    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    /** NLM_F_ROOT | NLM_F_MATCH: every object, not one. */
    static final int NLM_F_DUMP = 0x300;

    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private NetlinkHeader() {}

    /** Messages start on 4-byte boundaries (NLMSG_ALIGN). */
    static long align(long length) {
        return (length + 3) & ~3L;
    }

    static void write(MemorySegment buf, long offset, int length, int type, int flags, int seq) {
        buf.set(U32, offset, length);
        buf.set(U16, offset + 4, (short) type);
        buf.set(U16, offset + 6, (short) flags);
        buf.set(U32, offset + 8, seq);
        buf.set(U32, offset + 12, 0); // port id 0: addressed to the kernel
    }

    /** The length field, unsigned. */
    static long length(MemorySegment buf, long offset) {
        return Integer.toUnsignedLong(buf.get(U32, offset));
    }

    static int type(MemorySegment buf, long offset) {
        return Short.toUnsignedInt(buf.get(U16, offset + 4));
    }

    static int flags(MemorySegment buf, long offset) {
        return Short.toUnsignedInt(buf.get(U16, offset + 6));
    }

    static int seq(MemorySegment buf, long offset) {
        return buf.get(U32, offset + 8);
    }
}
