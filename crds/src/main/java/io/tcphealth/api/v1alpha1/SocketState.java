package io.tcphealth.api.v1alpha1;

/** TCP states under the names {@code ss} and the kernel use ({@code include/net/tcp_states.h}). */
public enum SocketState {
    ESTABLISHED,
    SYN_SENT,
    SYN_RECV,
    FIN_WAIT1,
    FIN_WAIT2,
    TIME_WAIT,
    CLOSE,
    CLOSE_WAIT,
    LAST_ACK,
    LISTEN,
    CLOSING
}
