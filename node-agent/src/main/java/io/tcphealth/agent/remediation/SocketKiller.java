package io.tcphealth.agent.remediation;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.socket.TcpSocket;
import java.io.IOException;

/** Destroys one socket in its namespace. */
public interface SocketKiller {

    /**
     * @throws io.tcphealth.agent.nativeio.ErrnoException ENOENT when it is already gone, EOPNOTSUPP without
     *         kernel support, EPERM or EACCES without the right
     */
    void destroy(NetNamespace namespace, TcpSocket socket) throws IOException, InterruptedException;
}
