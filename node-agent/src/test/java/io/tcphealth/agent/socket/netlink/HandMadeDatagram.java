package io.tcphealth.agent.socket.netlink;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds netlink datagrams byte by byte, the way the kernel lays them out, independently of the
 * production encoder: host order for counters, network order for ports and addresses.
 */
final class HandMadeDatagram {
    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_MULTI = 2;

    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.nativeOrder());

    /** One inet_diag_msg, with one opaque attribute of {@code attributeBytes} (header included) after it. */
    HandMadeDatagram socket(
            int seq,
            int state,
            InetAddress local,
            int localPort,
            InetAddress remote,
            int remotePort,
            int timer,
            int retrans,
            int expires,
            int rqueue,
            int wqueue,
            int uid,
            int inode,
            long cookie,
            int attributeBytes) {
        int length = 16 + 72 + attributeBytes;
        header(length, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq);
        int start = buf.position();
        buf.put((byte) (local.getAddress().length == 4 ? 2 : 10));
        buf.put((byte) state).put((byte) timer).put((byte) retrans);
        buf.order(ByteOrder.BIG_ENDIAN).putShort((short) localPort).putShort((short) remotePort);
        buf.put(padded(local)).put(padded(remote));
        buf.order(ByteOrder.nativeOrder());
        buf.putInt(0); // interface
        buf.putInt((int) cookie).putInt((int) (cookie >>> 32));
        buf.putInt(expires).putInt(rqueue).putInt(wqueue).putInt(uid).putInt(inode);
        int filler = attributeBytes;
        if (attributeBytes >= 4) {
            // one attribute of a type the decoder does not know, as a newer kernel might send
            buf.putShort((short) attributeBytes).putShort((short) 0x3ff);
            filler -= 4;
        }
        for (int i = 0; i < filler; i++) {
            buf.put((byte) 0x5a);
        }
        align();
        if (buf.position() - start != ((72 + attributeBytes + 3) & ~3)) {
            throw new IllegalStateException("Hand-made inet_diag_msg has the wrong size");
        }
        return this;
    }

    /** One IPv4 inet_diag_msg in CLOSE_WAIT followed by exactly these attribute bytes (already laid out). */
    HandMadeDatagram socketWithAttributes(int seq, byte[] attributes) throws java.net.UnknownHostException {
        return socketWithAttributes(seq, 8, 0, 1, attributes);
    }

    /** An IPv4 socket in {@code state} with {@code timer} pending, {@code recvQueue} unread bytes, inode 77. */
    HandMadeDatagram socketWithAttributes(int seq, int state, int timer, int recvQueue, byte[] attributes)
            throws java.net.UnknownHostException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        int length = 16 + 72 + attributes.length;
        header(length, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq);
        buf.put((byte) 2).put((byte) state).put((byte) timer).put((byte) 0);
        buf.order(ByteOrder.BIG_ENDIAN).putShort((short) 9080).putShort((short) 40000);
        buf.put(padded(lo)).put(padded(lo));
        buf.order(ByteOrder.nativeOrder());
        buf.putInt(3).putInt(1).putInt(0); // bound to interface 3; cookie 1
        buf.putInt(0).putInt(recvQueue).putInt(0).putInt(0).putInt(77);
        buf.put(attributes);
        align();
        return this;
    }

    /** An nlattr: u16 length (header included), u16 type, the payload, padding to 4 bytes. */
    static byte[] attribute(int type, byte[] payload) {
        ByteBuffer a = ByteBuffer.allocate((4 + payload.length + 3) & ~3).order(ByteOrder.nativeOrder());
        a.putShort((short) (4 + payload.length)).putShort((short) type).put(payload);
        return a.array();
    }

    HandMadeDatagram done(int seq, int status) {
        header(20, NLMSG_DONE, NLM_F_MULTI, seq);
        buf.putInt(status);
        return this;
    }

    /** NLMSG_ERROR: the error (negative errno, or 0 for an ack), then the request's header. */
    HandMadeDatagram error(int seq, int error) {
        header(16 + 4 + 16, NLMSG_ERROR, 0, seq);
        buf.putInt(error);
        buf.putInt(72).putShort((short) 20).putShort((short) 0x301).putInt(seq).putInt(0);
        return this;
    }

    /** A raw header claiming {@code length} bytes, for broken messages. */
    HandMadeDatagram header(int length, int type, int flags, int seq) {
        buf.putInt(length)
                .putShort((short) type)
                .putShort((short) flags)
                .putInt(seq)
                .putInt(4242);
        return this;
    }

    HandMadeDatagram bytes(int count) {
        for (int i = 0; i < count; i++) {
            buf.put((byte) 0);
        }
        return this;
    }

    int length() {
        return buf.position();
    }

    /** The datagram in a segment exactly as large as {@code capacity} (at least its length). */
    MemorySegment segment(int capacity) {
        byte[] out = new byte[Math.max(capacity, buf.position())];
        System.arraycopy(buf.array(), 0, out, 0, buf.position());
        return MemorySegment.ofArray(out);
    }

    MemorySegment segment() {
        return segment(buf.position());
    }

    private void align() {
        while (buf.position() % 4 != 0) {
            buf.put((byte) 0);
        }
    }

    private static byte[] padded(InetAddress address) {
        byte[] out = new byte[16];
        byte[] raw = address.getAddress();
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }
}
