package io.tcphealth.agent.socket;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Lists the TCP sockets (IPv4 and IPv6) of the network namespace the calling thread is in.
 *
 * <p>Namespaces are per thread: callers that want another namespace run this on a thread that
 * has entered it (see {@code NamespaceExecutor}).
 */
public interface SocketSource {

    /**
     * @param states the states wanted; implementations filter in the kernel where they can
     * @throws IOException when the namespace's sockets cannot be listed at all
     */
    List<TcpSocket> sockets(Set<TcpState> states) throws IOException;

    /** A short name for reports: {@code netlink} or {@code proc}. */
    String name();
}
