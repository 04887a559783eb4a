package io.tcphealth.agent.diagnosis;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.ProcessInfo;
import io.tcphealth.agent.socket.TcpSocket;
import java.time.Duration;

/** How long things have been as they are now; null when not known. */
public interface Ages {

    /**
     * How long this socket has been as it is, at least: what tcphealth observed across scans, or the
     * kernel's idle time when that is longer (so it is known on a first scan too).
     */
    Duration socketAge(NetNamespace namespace, TcpSocket socket);

    /** {@link #socketAge} with where it comes from; null when unknown. */
    default Age socketAgeWithBasis(NetNamespace namespace, TcpSocket socket) {
        return Age.observed(socketAge(namespace, socket));
    }

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
