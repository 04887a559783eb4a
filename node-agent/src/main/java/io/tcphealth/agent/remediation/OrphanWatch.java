package io.tcphealth.agent.remediation;

import io.tcphealth.agent.netns.NetNamespace;
import java.io.IOException;
import java.util.List;

/** Counts orphaned FIN_WAIT1 sockets while a pulse runs. */
public interface OrphanWatch {

    /** Orphaned FIN_WAIT1 sockets in these namespaces on these ports (local or remote; empty = any). */
    long remaining(List<NetNamespace> namespaces, List<Integer> ports) throws IOException, InterruptedException;
}
