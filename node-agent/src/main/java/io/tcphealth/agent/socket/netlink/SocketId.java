package io.tcphealth.agent.socket.netlink;

import io.tcphealth.agent.socket.TcpSocket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;

/**
 * {@code struct inet_diag_sockid}: the 48 bytes that name one socket in inet_diag requests and
 * replies. Ports and addresses are in network byte order, the interface index and the two cookie
 * halves in host order.
 *
 * @param source          local address, null for none (all zero bytes)
 * @param destination     remote address, null for none
 * @param interfaceIndex  bound device, 0 for any
 * @param cookie          the kernel's socket cookie; {@link #NO_COOKIE} when the kernel is not to check it
 */
record SocketId(
        InetAddress source,
        int sourcePort,
        InetAddress destination,
        int destinationPort,
        int interfaceIndex,
        long cookie) {

    static final int SIZE = 48;
    /** INET_DIAG_NOCOOKIE in both halves. */
    static final long NO_COOKIE = -1L;

    static final int SOURCE_PORT = 0;
    static final int DESTINATION_PORT = 2;
    static final int SOURCE = 4;
    static final int DESTINATION = 20;
    static final int INTERFACE = 36;
    static final int COOKIE = 40;

    static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** What dumps send: the kernel ignores the id when it walks every socket. */
    static final SocketId ANY = new SocketId(null, 0, null, 0, 0, 0);

    /** The id of one socket as a dump reported it, for requests about that socket alone. */
    static SocketId of(TcpSocket socket) {
        return new SocketId(
                socket.local(), socket.localPort(), socket.remote(), socket.remotePort(), 0, socket.cookie());
    }

    void write(MemorySegment buf, long offset) {
        buf.asSlice(offset, SIZE).fill((byte) 0);
        buf.set(PORT, offset + SOURCE_PORT, (short) sourcePort);
        buf.set(PORT, offset + DESTINATION_PORT, (short) destinationPort);
        writeAddress(buf, offset + SOURCE, source);
        writeAddress(buf, offset + DESTINATION, destination);
        buf.set(NetlinkHeader.U32, offset + INTERFACE, interfaceIndex);
        // cookie[0] holds the low half, cookie[1] the high half (sock_diag_save_cookie).
        buf.set(NetlinkHeader.U32, offset + COOKIE, (int) cookie);
        buf.set(NetlinkHeader.U32, offset + COOKIE + 4, (int) (cookie >>> 32));
    }

    private static void writeAddress(MemorySegment buf, long offset, InetAddress address) {
        if (address != null) {
            MemorySegment.copy(
                    address.getAddress(), 0, buf, ValueLayout.JAVA_BYTE, offset, address.getAddress().length);
        }
    }
}
