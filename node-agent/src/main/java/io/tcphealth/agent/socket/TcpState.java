package io.tcphealth.agent.socket;

import java.util.EnumSet;
import java.util.Set;

/**
 * TCP states with the kernel's numbering ({@code include/net/tcp_states.h}), which both
 * {@code inet_diag} and {@code /proc/net/tcp} use.
 */
public enum TcpState {
    ESTABLISHED(1, "ESTAB"),
    SYN_SENT(2, "SYN-SENT"),
    SYN_RECV(3, "SYN-RECV"),
    FIN_WAIT1(4, "FIN-WAIT-1"),
    FIN_WAIT2(5, "FIN-WAIT-2"),
    TIME_WAIT(6, "TIME-WAIT"),
    CLOSE(7, "UNCONN"),
    CLOSE_WAIT(8, "CLOSE-WAIT"),
    LAST_ACK(9, "LAST-ACK"),
    LISTEN(10, "LISTEN"),
    CLOSING(11, "CLOSING"),
    /** A request socket: a SYN received on a listener, answered, not yet accepted. */
    NEW_SYN_RECV(12, "SYN-RECV");

    private static final TcpState[] BY_CODE = new TcpState[13];

    static {
        for (TcpState s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;
    private final String ssName;

    TcpState(int code, String ssName) {
        this.code = code;
        this.ssName = ssName;
    }

    /** The kernel's number for this state. */
    public int code() {
        return code;
    }

    /** The name {@code ss} prints for this state. */
    public String ssName() {
        return ssName;
    }

    /** The bit of this state in an {@code inet_diag} state filter. */
    public int filterBit() {
        return 1 << code;
    }

    /** @throws IllegalArgumentException for a number the kernel does not use */
    public static TcpState fromCode(int code) {
        if (code <= 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("Unknown TCP state number " + code);
        }
        return BY_CODE[code];
    }

    /** The kernel state filter selecting exactly these states. */
    public static int filterOf(Set<TcpState> states) {
        int bits = 0;
        for (TcpState s : states) {
            bits |= s.filterBit();
        }
        return bits;
    }

    public static Set<TcpState> all() {
        return EnumSet.allOf(TcpState.class);
    }
}
