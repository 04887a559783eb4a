package io.tcphealth.agent.socket.netlink;

import io.tcphealth.agent.nativeio.ErrnoException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Walks the netlink messages of received datagrams and decides when a reply is complete.
 *
 * <p>A dump reply spans many datagrams (the kernel fills at most about 32 KiB per datagram) of
 * {@code NLM_F_MULTI} messages and ends with {@code NLMSG_DONE}. A request with {@code NLM_F_ACK}
 * (such as a future {@code SOCK_DESTROY}) ends with an {@code NLMSG_ERROR} carrying error 0. Any
 * {@code NLMSG_ERROR} with a negative error ends the reply with that errno. Messages of other types
 * go to the {@link PayloadHandler}.
 */
final class NetlinkReplies {
    private final int seq;
    private final String request;
    private final PayloadHandler handler;
    private boolean complete;

    /** What to do with one message of the reply that is not a control message. */
    interface PayloadHandler {
        void message(int type, MemorySegment buf, long payloadOffset, long payloadLength) throws IOException;
    }

    /**
     * @param seq     the request's sequence number; every message of the reply must carry it
     * @param request names the request in error messages
     */
    NetlinkReplies(int seq, String request, PayloadHandler handler) {
        this.seq = seq;
        this.request = request;
        this.handler = handler;
    }

    boolean complete() {
        return complete;
    }

    /**
     * Handles every message of one datagram.
     *
     * @param length the datagram's length in bytes, from the start of {@code buf}
     * @return true when the reply is complete
     * @throws ErrnoException when the kernel answered with an error
     * @throws IOException    for a malformed or foreign message
     */
    boolean accept(MemorySegment buf, long length) throws IOException {
        if (length > buf.byteSize()) {
            throw new IOException(request + ": datagram of " + length + " bytes does not fit the " + buf.byteSize()
                    + "-byte receive buffer");
        }
        long offset = 0;
        while (offset < length && !complete) {
            long remaining = length - offset;
            if (remaining < NetlinkHeader.SIZE) {
                throw new IOException(request + ": " + remaining + " trailing bytes at offset " + offset
                        + " are too short for a message header");
            }
            long msgLength = NetlinkHeader.length(buf, offset);
            if (msgLength < NetlinkHeader.SIZE || msgLength > remaining) {
                throw new IOException(request + ": message at offset " + offset + " claims " + msgLength + " bytes, "
                        + remaining + " remain in the datagram");
            }
            int msgSeq = NetlinkHeader.seq(buf, offset);
            if (msgSeq != seq) {
                throw new IOException(request + ": reply carries sequence number " + Integer.toUnsignedString(msgSeq)
                        + ", expected " + Integer.toUnsignedString(seq));
            }
            int type = NetlinkHeader.type(buf, offset);
            long payload = offset + NetlinkHeader.SIZE;
            long payloadLength = msgLength - NetlinkHeader.SIZE;
            switch (type) {
                case NetlinkHeader.NLMSG_NOOP -> {}
                case NetlinkHeader.NLMSG_DONE -> {
                    // Dumps put their final status here: 0, or a negative errno when the dump failed.
                    if (payloadLength >= 4) {
                        int status = buf.get(NetlinkHeader.U32, payload);
                        if (status < 0) {
                            throw new ErrnoException(request, -status);
                        }
                    }
                    complete = true;
                }
                case NetlinkHeader.NLMSG_ERROR -> {
                    if (payloadLength < 4) {
                        throw new IOException(request + ": error message of " + msgLength + " bytes has no error code");
                    }
                    int error = buf.get(NetlinkHeader.U32, payload);
                    if (error != 0) {
                        throw new ErrnoException(request, -error);
                    }
                    complete = true; // an acknowledgement
                }
                case NetlinkHeader.NLMSG_OVERRUN ->
                    throw new IOException(request + ": the kernel reports lost data (overrun)");
                default -> {
                    handler.message(type, buf, payload, payloadLength);
                    // A single answer (not part of a dump) is the whole reply.
                    if ((NetlinkHeader.flags(buf, offset) & NetlinkHeader.NLM_F_MULTI) == 0) {
                        complete = true;
                    }
                }
            }
            offset += NetlinkHeader.align(msgLength);
        }
        return complete;
    }
}
