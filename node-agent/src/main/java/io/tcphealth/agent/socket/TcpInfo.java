package io.tcphealth.agent.socket;

/**
 * What the kernel's {@code struct tcp_info} says about one connection ({@code INET_DIAG_INFO}; the
 * same figures {@code ss -i} prints). The kernel gives it for full sockets only: not for TIME_WAIT
 * and request sockets, nor for sockets that are bound and nothing else.
 *
 * <p>The three {@code last*} times are milliseconds since that event, counted by the kernel from its
 * own timestamps, so they are known on the very first look at a socket. The smallest of them is how
 * long the connection has been idle: nothing sent, received or acknowledged since. For a listener the
 * kernel fills none of them (0).
 *
 * @param state              {@code tcpi_state}, the kernel's state number
 * @param retransmits        {@code tcpi_retransmits}: retransmissions of the segment now pending
 * @param probes             {@code tcpi_probes}: unanswered zero-window or keepalive probes
 * @param backoff            {@code tcpi_backoff}: exponential backoff of the retransmit or probe timer
 * @param rtoMicros          retransmission timeout
 * @param unacked            segments sent and not acknowledged; for a listener, the accept queue
 * @param lost               segments the kernel thinks were lost
 * @param retrans            segments retransmitted and not yet acknowledged
 * @param lastDataSentMillis time since data was last sent
 * @param lastDataRecvMillis time since data was last received
 * @param lastAckRecvMillis  time since an acknowledgement was last received
 * @param rttMicros          smoothed round-trip time
 * @param totalRetrans       retransmissions over the connection's life
 * @param sendWindow         {@code tcpi_snd_wnd}: the window the peer advertised, in bytes (0: the peer
 *                           stopped reading); -1 when the kernel is too old to say (before 5.4)
 * @param receiveWindow      {@code tcpi_rcv_wnd}: the window we advertise, in bytes; -1 when the
 *                           kernel is too old to say (before 6.7)
 */
public record TcpInfo(
        int state,
        int retransmits,
        int probes,
        int backoff,
        long rtoMicros,
        long unacked,
        long lost,
        long retrans,
        long lastDataSentMillis,
        long lastDataRecvMillis,
        long lastAckRecvMillis,
        long rttMicros,
        long totalRetrans,
        long sendWindow,
        long receiveWindow) {

    /**
     * How long nothing happened on the connection, in milliseconds: a lower bound on the age of
     * whatever state it is stuck in, known from the kernel alone. -1 for a listener or a socket the
     * kernel never used (its timestamps mean nothing).
     */
    public long idleMillis() {
        if (state == TcpState.LISTEN.code() || state == TcpState.CLOSE.code()) {
            return -1;
        }
        return Math.min(lastDataSentMillis, Math.min(lastDataRecvMillis, lastAckRecvMillis));
    }
}
