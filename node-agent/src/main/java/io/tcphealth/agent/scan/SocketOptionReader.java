package io.tcphealth.agent.scan;

import io.tcphealth.agent.proc.SocketOwner;
import io.tcphealth.agent.socket.SocketOptions;
import java.util.List;

/** Reads the bind-deciding options of a socket through a descriptor one of its owners holds. */
public interface SocketOptionReader {
    /**
     * The options of socket {@code inode}, which these processes hold, tried through each owner in turn until one
     * answers; never null (what could not be read says why).
     */
    SocketOptions read(long inode, List<SocketOwner> owners);

    /** The name of interface {@code index} in the calling thread's network namespace, or null when there is none. */
    String deviceName(int index);
}
