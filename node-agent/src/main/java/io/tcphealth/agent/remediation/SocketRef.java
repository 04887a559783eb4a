package io.tcphealth.agent.remediation;

import io.tcphealth.agent.socket.TcpSocket;
import java.net.InetAddress;

/** One socket across scans: its namespace, 4-tuple and cookie (a reused 4-tuple gets a new cookie). */
record SocketRef(long netns, InetAddress local, int localPort, InetAddress remote, int remotePort, long cookie) {

    static SocketRef of(long netns, TcpSocket s) {
        return new SocketRef(netns, s.local(), s.localPort(), s.remote(), s.remotePort(), s.cookie());
    }
}
