package io.tcphealth.agent.socket.netlink;

import io.tcphealth.agent.nativeio.Errno;
import io.tcphealth.agent.nativeio.ErrnoException;
import io.tcphealth.agent.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One {@code NETLINK_SOCK_DIAG} socket: sends requests and reads their replies.
 *
 * <p>A netlink socket belongs to the network namespace of the thread that created it, for its whole
 * life; so a channel is opened on the thread (and in the namespace) whose sockets are wanted, used
 * there and closed. Not thread-safe.
 */
final class NetlinkChannel implements AutoCloseable {
    static final int NETLINK_SOCK_DIAG = 4;

    private final Libc libc;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment receiveBuffer;
    private final MemorySegment sendBuffer;
    private final MemorySegment kernelAddress;
    private final int fd;
    private int nextSeq = ThreadLocalRandom.current().nextInt();
    private boolean closed;

    /**
     * @param receiveBufferBytes user buffer for one datagram (the kernel fills at most about 32 KiB)
     * @param socketBufferBytes  SO_RCVBUF: how much the kernel may queue before we read
     * @param replyTimeout       how long one receive may wait before the kernel is declared silent
     */
    NetlinkChannel(Libc libc, int receiveBufferBytes, int socketBufferBytes, Duration replyTimeout) throws IOException {
        this.libc = libc;
        this.receiveBuffer = arena.allocate(receiveBufferBytes, 8);
        this.sendBuffer = arena.allocate(InetDiagRequest.SIZE, 8);
        // struct sockaddr_nl { u16 family; u16 pad; u32 pid; u32 groups; }: pid 0 is the kernel,
        // and for bind() it lets the kernel pick our port id.
        this.kernelAddress = arena.allocate(12, 4);
        kernelAddress.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
        int opened;
        try {
            opened = libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        } catch (IOException e) {
            arena.close();
            throw e;
        }
        this.fd = opened;
        try {
            libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, socketBufferBytes);
            MemorySegment timeval = arena.allocate(16, 8);
            timeval.set(ValueLayout.JAVA_LONG, 0, replyTimeout.toSeconds());
            timeval.set(ValueLayout.JAVA_LONG, 8, replyTimeout.toMillisPart() * 1000L);
            libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval);
            libc.bind(fd, kernelAddress);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Sends one request and reads its whole reply into {@code handler}. */
    void exchange(InetDiagRequest request, NetlinkReplies.PayloadHandler handler) throws IOException {
        int seq = nextSeq++;
        int length = request.encode(sendBuffer, seq);
        long sent = libc.sendto(fd, sendBuffer, length, 0, kernelAddress);
        if (sent != length) {
            throw new IOException(request.describe() + ": sent " + sent + " of " + length + " bytes");
        }
        NetlinkReplies reply = new NetlinkReplies(seq, request.describe(), handler);
        while (!reply.complete()) {
            long n;
            try {
                n = libc.recv(fd, receiveBuffer, receiveBuffer.byteSize(), Libc.MSG_TRUNC);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EAGAIN) {
                    throw new IOException(request.describe() + ": no reply from the kernel within the timeout", e);
                }
                throw e;
            }
            if (n == 0) {
                throw new IOException(request.describe() + ": empty datagram before the reply was complete");
            }
            reply.accept(receiveBuffer, n);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            libc.close(fd);
        } finally {
            arena.close();
        }
    }
}
