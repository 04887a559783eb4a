package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.socket.TcpSocket;
import java.time.Duration;

/** How long things have been seen as they are now; null when not known (a first scan). */
public interface Ages {

    /** How long this socket has been in its current state. */
    Duration socketAge(NetNamespace namespace, TcpSocket socket);

    /** How long this process has been a zombie. */
    Duration zombieAge(ProcessInfo process);

    /** Nothing is known: every age is null. */
    Ages UNKNOWN = new Ages() {
        @Override
        public Duration socketAge(NetNamespace namespace, TcpSocket socket) {
            return null;
        }

        @Override
        public Duration zombieAge(ProcessInfo process) {
            return null;
        }
    };
}
