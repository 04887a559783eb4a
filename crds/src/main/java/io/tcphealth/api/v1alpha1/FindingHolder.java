package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One process holding sockets of a finding, and how many of them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FindingHolder {

    @JsonPropertyDescription("Process id.")
    private int pid;

    @JsonPropertyDescription("Its command name.")
    private String comm;

    @JsonPropertyDescription("Its container, if it runs in one.")
    private String containerId;

    @JsonPropertyDescription("Sockets of the finding this process holds (shared ones count for every holder).")
    private long sockets;

    public int getPid() {
        return pid;
    }

    public void setPid(int pid) {
        this.pid = pid;
    }

    public String getComm() {
        return comm;
    }

    public void setComm(String comm) {
        this.comm = comm;
    }

    public String getContainerId() {
        return containerId;
    }

    public void setContainerId(String containerId) {
        this.containerId = containerId;
    }

    public long getSockets() {
        return sockets;
    }

    public void setSockets(long sockets) {
        this.sockets = sockets;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FindingHolder that
                && pid == that.pid
                && sockets == that.sockets
                && Objects.equals(comm, that.comm)
                && Objects.equals(containerId, that.containerId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pid, comm, containerId, sockets);
    }

    @Override
    public String toString() {
        return "FindingHolder{pid=" + pid + ", comm=" + comm + ", containerId=" + containerId + ", sockets=" + sockets
                + "}";
    }
}
