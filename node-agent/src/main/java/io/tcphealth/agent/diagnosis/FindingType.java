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
    SysctlDrift
}
