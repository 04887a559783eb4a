package io.tcphealth.agent.socket;

/**
 * The socket's memory as the kernel accounts it ({@code INET_DIAG_SKMEMINFO}, what {@code ss -m}
 * prints as {@code skmem:(r..,rb..,t..,tb..,f..,w..,o..,bl..,d..)}), in bytes.
 *
 * @param receiveAllocated {@code r}: memory held by received data not yet read
 * @param receiveBuffer    {@code rb}: the receive buffer's limit (SO_RCVBUF as the kernel keeps it)
 * @param sendAllocated    {@code t}: memory of data sent and not yet freed
 * @param sendBuffer       {@code tb}: the send buffer's limit
 * @param forwardAlloc     {@code f}: memory reserved ahead for the socket
 * @param sendQueued       {@code w}: memory of data queued to send
 * @param optionMemory     {@code o}: memory of socket options
 * @param backlog          {@code bl}: memory of the backlog queue (packets that came while the socket was busy)
 * @param drops            {@code d}: packets dropped before they reached the socket; -1 when the kernel does not say
 */
public record SocketMemory(
        long receiveAllocated,
        long receiveBuffer,
        long sendAllocated,
        long sendBuffer,
        long forwardAlloc,
        long sendQueued,
        long optionMemory,
        long backlog,
        long drops) {}
