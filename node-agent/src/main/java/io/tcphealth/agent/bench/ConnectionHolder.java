package io.tcphealth.agent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The helper side of the benchmark: a process started inside the benchmark's network namespace
 * that opens loopback connections, holds both ends, says "ready" and keeps them until its standard
 * input closes. The benchmark holds the other end of that pipe, so the helper also ends when the
 * benchmark is killed without a chance to clean up.
 *
 * <p>Besides plain ESTABLISHED pairs it can leave two kinds of trouble the agent reports:
 * <ul>
 *   <li>CLOSE_WAIT: the client shuts its side down and the server never closes. The client calls
 *       {@code shutdown(SHUT_WR)} rather than {@code close}, so its FIN_WAIT2 end keeps a file and
 *       does not time out after {@code tcp_fin_timeout}: the namespace stays the same for the whole
 *       run.</li>
 *   <li>Orphaned FIN_WAIT1: the receiver has a 4 KiB receive buffer and never reads; the sender has
 *       a 4 KiB send buffer, writes until the kernel refuses more, then closes. The FIN waits
 *       behind unacknowledged data and the socket, no longer held by any file, lingers while the
 *       live peer keeps answering window probes.</li>
 * </ul>
 */
public final class ConnectionHolder {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int SMALL_BUFFER = 4096;

    private final List<AutoCloseable> held = new ArrayList<>();

    /** Opens the connections; every socket stays open until {@link #close()}. */
    public void open(int connections, int closeWait, int finWait1) throws IOException {
        if (connections > 0) {
            established(connections);
        }
        if (closeWait > 0) {
            closeWait(closeWait);
        }
        if (finWait1 > 0) {
            finWait1(finWait1);
        }
    }

    /** Opens, reports ready on {@code out}, and holds until {@code in} reaches end of file. */
    public void holdUntilEndOfInput(int connections, int closeWait, int finWait1, InputStream in, PrintStream out)
            throws IOException {
        open(connections, closeWait, finWait1);
        out.println("ready " + ProcessHandle.current().pid());
        out.flush();
        while (in.read() >= 0) {
            // Anything written to us is ignored; only the end of the pipe matters.
        }
        close();
    }

    /**
     * Listens on an ephemeral loopback port, says "ready PID PORT", accepts {@code count} connections (made by other
     * processes) and holds them until {@code in} reaches end of file.
     */
    public void acceptUntilEndOfInput(int count, InputStream in, PrintStream out) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(LOOPBACK, 0), 65535);
        held.add(server);
        out.println("ready " + ProcessHandle.current().pid() + " "
                + ((InetSocketAddress) server.getLocalAddress()).getPort());
        out.flush();
        for (int i = 0; i < count; i++) {
            held.add(server.accept());
        }
        server.close();
        while (in.read() >= 0) {
            // Only the end of the pipe matters.
        }
        close();
    }

    private void established(int count) throws IOException {
        ServerSocketChannel server = listener(0);
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        for (int i = 0; i < count; i++) {
            held.add(SocketChannel.open(address));
            held.add(server.accept());
        }
    }

    private void closeWait(int count) throws IOException {
        ServerSocketChannel server = listener(0);
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        for (int i = 0; i < count; i++) {
            SocketChannel client = SocketChannel.open(address);
            held.add(client);
            held.add(server.accept());
            client.shutdownOutput();
        }
    }

    private void finWait1(int count) throws IOException {
        ServerSocketChannel server = listener(SMALL_BUFFER);
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        ByteBuffer chunk = ByteBuffer.allocate(SMALL_BUFFER);
        for (int i = 0; i < count; i++) {
            SocketChannel sender = SocketChannel.open();
            sender.setOption(StandardSocketOptions.SO_SNDBUF, SMALL_BUFFER);
            sender.connect(address);
            held.add(server.accept());
            sender.configureBlocking(false);
            int rounds = 0;
            while (rounds++ < 10_000) {
                chunk.clear();
                if (sender.write(chunk) == 0) {
                    break;
                }
            }
            sender.close();
        }
    }

    /** A loopback listener on an ephemeral port; accepted sockets inherit its receive buffer. */
    private ServerSocketChannel listener(int receiveBuffer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        if (receiveBuffer > 0) {
            server.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        }
        server.bind(new InetSocketAddress(LOOPBACK, 0), 4096);
        held.add(server);
        return server;
    }

    public void close() {
        for (AutoCloseable c : held) {
            try {
                c.close();
            } catch (Exception e) {
                // Ending anyway; the kernel closes whatever is left when the process exits.
            }
        }
        held.clear();
    }
}
