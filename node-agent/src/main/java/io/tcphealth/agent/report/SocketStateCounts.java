package io.tcphealth.agent.report;

import io.tcphealth.agent.socket.TcpSocket;
import io.tcphealth.agent.socket.TcpState;
import java.util.Collection;

/** Sockets per TCP state, with the field names of a {@code TcpHealthNode} status. */
public record SocketStateCounts(
        long established,
        long synSent,
        long synRecv,
        long finWait1,
        long finWait2,
        long timeWait,
        long close,
        long closeWait,
        long lastAck,
        long listen,
        long closing) {

    public static SocketStateCounts of(Collection<TcpSocket> sockets) {
        long[] n = new long[13];
        for (TcpSocket s : sockets) {
            n[s.state().code()]++;
        }
        return fromCodes(n);
    }

    /** Request sockets (NEW_SYN_RECV) count as SYN_RECV, as {@code ss} shows them. */
    private static SocketStateCounts fromCodes(long[] n) {
        return new SocketStateCounts(
                n[TcpState.ESTABLISHED.code()],
                n[TcpState.SYN_SENT.code()],
                n[TcpState.SYN_RECV.code()] + n[TcpState.NEW_SYN_RECV.code()],
                n[TcpState.FIN_WAIT1.code()],
                n[TcpState.FIN_WAIT2.code()],
                n[TcpState.TIME_WAIT.code()],
                n[TcpState.CLOSE.code()],
                n[TcpState.CLOSE_WAIT.code()],
                n[TcpState.LAST_ACK.code()],
                n[TcpState.LISTEN.code()],
                n[TcpState.CLOSING.code()]);
    }

    public SocketStateCounts plus(SocketStateCounts o) {
        return new SocketStateCounts(
                established + o.established,
                synSent + o.synSent,
                synRecv + o.synRecv,
                finWait1 + o.finWait1,
                finWait2 + o.finWait2,
                timeWait + o.timeWait,
                close + o.close,
                closeWait + o.closeWait,
                lastAck + o.lastAck,
                listen + o.listen,
                closing + o.closing);
    }

    public static SocketStateCounts zero() {
        return new SocketStateCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** States not shown in their own table column. */
    public long others() {
        return synSent + synRecv + close + lastAck + closing;
    }

    public long total() {
        return established + finWait1 + finWait2 + timeWait + closeWait + listen + others();
    }
}
