package io.tcphealth.agent.diagnosis;

/** Where an age comes from, which says how to read it. */
public enum AgeBasis {
    /**
     * The kernel's tcp_info: time since anything was last sent, received or acknowledged. A lower
     * bound, known on the first scan: the socket has been idle at least this long.
     */
    kernelIdle,
    /** tcphealth itself has seen the socket (or zombie) as it is now for this long, across scans. */
    observed
}
