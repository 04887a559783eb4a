package io.tcphealth.agent.remediation;

import io.tcphealth.agent.netns.NamespaceExecutor;
import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.socket.SocketSource;
import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/** A FIN_WAIT1-only dump (filtered in the kernel) in each namespace watched. */
public final class SocketSourceOrphanWatch implements OrphanWatch {
    private final NamespaceExecutor executor;
    private final SocketSource source;

    public SocketSourceOrphanWatch(NamespaceExecutor executor, SocketSource source) {
        this.executor = executor;
        this.source = source;
    }

    @Override
    public long remaining(List<NetNamespace> namespaces, List<Integer> ports) throws IOException, InterruptedException {
        long total = 0;
        for (NetNamespace ns : namespaces) {
            List<TcpSocket> sockets = executor.call(ns, () -> source.sockets(Set.of(TcpState.FIN_WAIT1)));
            total += sockets.stream()
                    .filter(s -> s.isOrphan() && RemediationPlanner.onPorts(s, ports))
                    .count();
        }
        return total;
    }
}
