package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class LastScan {

    @JsonPropertyDescription("When the scan started (RFC 3339).")
    private String time;

    @JsonPropertyDescription("How long the scan took, in milliseconds.")
    private long durationMillis;

    @JsonPropertyDescription("Network namespaces scanned.")
    private int namespaces;

    @JsonPropertyDescription("TCP sockets seen.")
    private long sockets;

    @JsonPropertyDescription("Where sockets were read from: netlink (sock_diag) or proc (/proc/net/tcp).")
    private String source;

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    public void setDurationMillis(long durationMillis) {
        this.durationMillis = durationMillis;
    }

    public int getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(int namespaces) {
        this.namespaces = namespaces;
    }

    public long getSockets() {
        return sockets;
    }

    public void setSockets(long sockets) {
        this.sockets = sockets;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LastScan that)) {
            return false;
        }
        return Objects.equals(time, that.time)
                && durationMillis == that.durationMillis
                && namespaces == that.namespaces
                && sockets == that.sockets
                && Objects.equals(source, that.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, durationMillis, namespaces, sockets, source);
    }

    @Override
    public String toString() {
        return "LastScan{"
                + "time=" + time
                + ", durationMillis=" + durationMillis
                + ", namespaces=" + namespaces
                + ", sockets=" + sockets
                + ", source=" + source
                + "}";
    }
}
