package io.tcphealth.agent.socket.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A netlink message carrying {@code struct inet_diag_req_v2}: family and protocol (u8 each),
 * extensions wanted (u8), padding, the state filter (u32 bit mask, bit n = state n) and a
 * {@link SocketId}.
 *
 * <p>A dump is {@code SOCK_DIAG_BY_FAMILY} with {@code NLM_F_DUMP}. Destroying one socket would be
 * {@code SOCK_DESTROY} with {@code NLM_F_ACK}, the socket's own {@link SocketId} (cookie included,
 * so a reused 4-tuple is never hit) and every state bit set; {@link NetlinkReplies} already reads
 * the acknowledgement.
 *
 * @param extensions {@code idiag_ext} bits: which optional attributes the kernel should add
 */
record InetDiagRequest(int messageType, int flags, int family, int protocol, int extensions, int states, SocketId id) {

    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int SOCK_DESTROY = 21;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int IPPROTO_TCP = 6;
    /** idiag_ext bit for attribute n is 1 << (n - 1): INET_DIAG_INFO (2), INET_DIAG_SKMEMINFO (7). */
    static final int EXT_INFO = 1 << (InetDiagDecoder.ATTR_INFO - 1);

    static final int EXT_SKMEMINFO = 1 << (InetDiagDecoder.ATTR_SKMEMINFO - 1);

    static final int BODY_SIZE = 8 + SocketId.SIZE;
    static final int SIZE = NetlinkHeader.SIZE + BODY_SIZE;

    /**
     * Every TCP socket of {@code family} whose state bit is set in {@code states}, each with its
     * tcp_info and memory ({@code ss -tiem} asks for the same).
     */
    static InetDiagRequest dump(int family, int states) {
        return new InetDiagRequest(
                SOCK_DIAG_BY_FAMILY,
                NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP,
                family,
                IPPROTO_TCP,
                EXT_INFO | EXT_SKMEMINFO,
                states,
                SocketId.ANY);
    }

    /**
     * Writes the message at the start of {@code buf}.
     *
     * @return its length in bytes
     */
    int encode(MemorySegment buf, int seq) {
        NetlinkHeader.write(buf, 0, SIZE, messageType, flags, seq);
        long body = NetlinkHeader.SIZE;
        buf.set(ValueLayout.JAVA_BYTE, body, (byte) family);
        buf.set(ValueLayout.JAVA_BYTE, body + 1, (byte) protocol);
        buf.set(ValueLayout.JAVA_BYTE, body + 2, (byte) extensions);
        buf.set(ValueLayout.JAVA_BYTE, body + 3, (byte) 0);
        buf.set(NetlinkHeader.U32, body + 4, states);
        id.write(buf, body + 8);
        return SIZE;
    }

    /** For error messages: "inet_diag dump AF_INET6". */
    String describe() {
        String what = messageType == SOCK_DESTROY ? "inet_diag destroy" : "inet_diag dump";
        return what + " " + (family == AF_INET6 ? "AF_INET6" : family == AF_INET ? "AF_INET" : "family " + family);
    }
}
