package io.tcphealth.agent.proc;

import java.util.Locale;

/**
 * The TCP counters tcphealth keeps, as {@code /proc/net/snmp} ({@code Tcp:}) and
 * {@code /proc/net/netstat} ({@code TcpExt:}) name them. Both files are per network namespace:
 * each namespace has its own MIB, so read from a thread inside a pod's namespace they count only
 * that pod's traffic (node_exporter reads them only in the host's).
 */
public enum TcpCounter {
    /** A completed handshake found the accept queue full and was dropped. */
    LISTEN_OVERFLOWS("TcpExt", "ListenOverflows"),
    /** Every SYN or handshake a listener dropped, overflows included. */
    LISTEN_DROPS("TcpExt", "ListenDrops"),
    /** A socket could not enter TIME_WAIT because {@code tcp_max_tw_buckets} was reached. */
    TIME_WAIT_OVERFLOW("TcpExt", "TCPTimeWaitOverflow"),
    /** TCP entered memory pressure ({@code tcp_mem[1]} passed). */
    MEMORY_PRESSURES("TcpExt", "TCPMemoryPressures"),
    /** Connections reset because TCP ran out of memory ({@code tcp_mem[2]} or too many orphans). */
    ABORT_ON_MEMORY("TcpExt", "TCPAbortOnMemory"),
    /** Connections given up after {@code tcp_retries2}, keepalive or {@code TCP_USER_TIMEOUT} ran out. */
    ABORT_ON_TIMEOUT("TcpExt", "TCPAbortOnTimeout"),
    /** Retransmission timeouts. */
    TIMEOUTS("TcpExt", "TCPTimeouts"),
    /** Zero windows this namespace's receivers advertised: someone stopped reading. */
    TO_ZERO_WINDOW_ADV("TcpExt", "TCPToZeroWindowAdv"),
    /** Segments dropped because they arrived while the window was zero. */
    ZERO_WINDOW_DROP("TcpExt", "TCPZeroWindowDrop"),
    /** Segments sent again. */
    RETRANS_SEGS("Tcp", "RetransSegs"),
    /** Connection attempts that failed (a SYN unanswered or refused). */
    ATTEMPT_FAILS("Tcp", "AttemptFails"),
    /** Established connections reset. */
    ESTAB_RESETS("Tcp", "EstabResets"),
    /** Resets sent. */
    OUT_RSTS("Tcp", "OutRsts");

    private final String section;
    private final String kernelName;

    TcpCounter(String section, String kernelName) {
        this.section = section;
        this.kernelName = kernelName;
    }

    /** {@code TcpExt} or {@code Tcp}: the table the kernel lists it in. */
    public String section() {
        return section;
    }

    /** The kernel's name: {@code ListenOverflows}. */
    public String kernelName() {
        return kernelName;
    }

    /** "TcpExt.ListenOverflows", as nstat prints it (with a prefix). */
    public String qualifiedName() {
        return section + "." + kernelName;
    }

    /** "listen_overflows": the metric label value and status key. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
