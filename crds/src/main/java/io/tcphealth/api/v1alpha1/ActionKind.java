package io.tcphealth.api.v1alpha1;

/** What a remediation action does; the steps of the remediation ladder plus putting a value back. */
public enum ActionKind {
    /** Write an allow-listed sysctl, its original value journaled first. */
    SetSysctl,
    /** Put a sysctl back to the original value the journal holds. */
    RestoreSysctl,
    /** Destroy a socket with SOCK_DESTROY. */
    KillSocket,
    /** The tcp_max_orphans=0 pulse, always restored. */
    FlushOrphans,
    /** SIGCHLD to the parent of zombies. */
    SignalParent
}
