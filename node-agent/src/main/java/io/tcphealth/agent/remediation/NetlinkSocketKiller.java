package io.tcphealth.agent.remediation;

import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.netlink.NetlinkSocketDestroyer;
import java.io.IOException;

/** {@code SOCK_DESTROY} sent from a thread inside the socket's namespace. */
public final class NetlinkSocketKiller implements SocketKiller {
    private final NamespaceExecutor executor;
    private final NetlinkSocketDestroyer destroyer;

    public NetlinkSocketKiller(NamespaceExecutor executor, NetlinkSocketDestroyer destroyer) {
        this.executor = executor;
        this.destroyer = destroyer;
    }

    @Override
    public void destroy(NetNamespace namespace, TcpSocket socket) throws IOException, InterruptedException {
        executor.call(namespace, () -> {
            destroyer.destroy(socket);
            return null;
        });
    }
}
