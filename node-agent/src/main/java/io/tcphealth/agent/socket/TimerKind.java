package io.tcphealth.agent.socket;

/**
 * The socket timer that is pending, numbered as {@code idiag_timer} and the {@code tr} column of
 * {@code /proc/net/tcp} number it.
 */
public enum TimerKind {
    NONE("off"),
    RETRANSMIT("on"),
    KEEPALIVE("keepalive"),
    TIME_WAIT("timewait"),
    /** Zero-window probe: the peer advertised a zero window, the kernel keeps probing it. */
    PERSIST("persist");

    private final String ssName;

    TimerKind(String ssName) {
        this.ssName = ssName;
    }

    /** The name {@code ss -o} prints for this timer. */
    public String ssName() {
        return ssName;
    }

    /** Numbers past 4 (loss probe and reorder timers on newer kernels) are retransmit-like. */
    public static TimerKind fromCode(int code) {
        return switch (code) {
            case 0 -> NONE;
            case 2 -> KEEPALIVE;
            case 3 -> TIME_WAIT;
            case 4 -> PERSIST;
            default -> RETRANSMIT;
        };
    }
}
