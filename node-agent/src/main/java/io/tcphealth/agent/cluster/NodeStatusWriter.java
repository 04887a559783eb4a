package io.tcphealth.agent.cluster;

import io.tcphealth.api.v1alpha1.TcpHealthNodeStatus;

/** Writes the status of this node's TcpHealthNode; throws (unchecked, as the client does) when the API refuses. */
@FunctionalInterface
public interface NodeStatusWriter {
    void write(TcpHealthNodeStatus status);
}
