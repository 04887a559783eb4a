package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Socket counts by TCP state, summed over the scanned network namespaces. */
public class StateCounts {

    @JsonPropertyDescription("ESTABLISHED sockets.")
    private long established;

    @JsonPropertyDescription("SYN_SENT sockets.")
    private long synSent;

    @JsonPropertyDescription("SYN_RECV sockets.")
    private long synRecv;

    @JsonPropertyDescription("FIN_WAIT1 sockets: closed locally, FIN not yet acknowledged (often stuck behind "
            + "unsent data to a peer that stopped reading).")
    private long finWait1;

    @JsonPropertyDescription("FIN_WAIT2 sockets.")
    private long finWait2;

    @JsonPropertyDescription("TIME_WAIT sockets.")
    private long timeWait;

    @JsonPropertyDescription("CLOSE sockets.")
    private long close;

    @JsonPropertyDescription("CLOSE_WAIT sockets: the peer closed, the local application has not.")
    private long closeWait;

    @JsonPropertyDescription("LAST_ACK sockets.")
    private long lastAck;

    @JsonPropertyDescription("LISTEN sockets.")
    private long listen;

    @JsonPropertyDescription("CLOSING sockets.")
    private long closing;

    public long getEstablished() {
        return established;
    }

    public void setEstablished(long established) {
        this.established = established;
    }

    public long getSynSent() {
        return synSent;
    }

    public void setSynSent(long synSent) {
        this.synSent = synSent;
    }

    public long getSynRecv() {
        return synRecv;
    }

    public void setSynRecv(long synRecv) {
        this.synRecv = synRecv;
    }

    public long getFinWait1() {
        return finWait1;
    }

    public void setFinWait1(long finWait1) {
        this.finWait1 = finWait1;
    }

    public long getFinWait2() {
        return finWait2;
    }

    public void setFinWait2(long finWait2) {
        this.finWait2 = finWait2;
    }

    public long getTimeWait() {
        return timeWait;
    }

    public void setTimeWait(long timeWait) {
        this.timeWait = timeWait;
    }

    public long getClose() {
        return close;
    }

    public void setClose(long close) {
        this.close = close;
    }

    public long getCloseWait() {
        return closeWait;
    }

    public void setCloseWait(long closeWait) {
        this.closeWait = closeWait;
    }

    public long getLastAck() {
        return lastAck;
    }

    public void setLastAck(long lastAck) {
        this.lastAck = lastAck;
    }

    public long getListen() {
        return listen;
    }

    public void setListen(long listen) {
        this.listen = listen;
    }

    public long getClosing() {
        return closing;
    }

    public void setClosing(long closing) {
        this.closing = closing;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StateCounts that)) {
            return false;
        }
        return established == that.established
                && synSent == that.synSent
                && synRecv == that.synRecv
                && finWait1 == that.finWait1
                && finWait2 == that.finWait2
                && timeWait == that.timeWait
                && close == that.close
                && closeWait == that.closeWait
                && lastAck == that.lastAck
                && listen == that.listen
                && closing == that.closing;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                established,
                synSent,
                synRecv,
                finWait1,
                finWait2,
                timeWait,
                close,
                closeWait,
                lastAck,
                listen,
                closing);
    }

    @Override
    public String toString() {
        return "StateCounts{"
                + "established=" + established
                + ", synSent=" + synSent
                + ", synRecv=" + synRecv
                + ", finWait1=" + finWait1
                + ", finWait2=" + finWait2
                + ", timeWait=" + timeWait
                + ", close=" + close
                + ", closeWait=" + closeWait
                + ", lastAck=" + lastAck
                + ", listen=" + listen
                + ", closing=" + closing
                + "}";
    }
}
