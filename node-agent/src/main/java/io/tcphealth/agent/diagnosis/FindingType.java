package io.tcphealth.agent.diagnosis;

/** The kinds of trouble tcphealth recognises. */
public enum FindingType {
    /** CLOSE_WAIT sockets piling up under one process: it never closes what its peers closed. */
    CloseWaitLeak,
    /** Received bytes the owning process does not read. */
    UnreadReceiveQueue,
    /** FIN_WAIT1 sockets that do not finish closing, usually orphans probing a zero window. */
    FinWait1Stuck,
    /** Orphaned sockets close to {@code tcp_max_orphans}, past which the kernel resets them. */
    OrphanPressure,
    /** Who holds a port that was asked about, and whether a new listener could bind it. */
    PortOccupied,
    /** Exited processes whose parent does not reap them. */
    ZombieProcesses,
    /** A dead thread-group leader whose live threads still hold sockets. */
    ZombieHoldsSockets,
    /** A process close to its open-file limit. */
    FdExhaustionRisk,
    /** A sysctl that makes the trouble seen here last longer than it needs to. */
    SysctlDrift,
    /** Connections to one destination using up a namespace's local port range: connect() fails with EADDRNOTAVAIL. */
    EphemeralPortExhaustion,
    /** A listener whose accept queue is full: handshakes are dropped and clients time out. */
    ListenQueueOverflow,
    /** Established connections retransmitting without any acknowledgement: the peer or the path went silent. */
    StalledConnection,
    /** TCP memory close to {@code tcp_mem}'s pressure threshold, past which the kernel shrinks buffers and drops. */
    TcpMemoryPressure,
    /** A receiver that stopped reading: its zero window holds the sender, which keeps probing. */
    ZeroWindowStall,
    /** Quiet connections without keepalive whose peer has been silent long enough for a NAT or load balancer to forget them. */
    IdleWithoutKeepalive
}
