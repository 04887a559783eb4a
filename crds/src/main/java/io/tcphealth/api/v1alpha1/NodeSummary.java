package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One line of a policy's worst-nodes list. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeSummary {

    @JsonPropertyDescription("Node name (also the name of its TcpHealthNode).")
    private String name;

    @JsonPropertyDescription("The node's Healthy condition; unset when it has not reported.")
    private Boolean healthy;

    @JsonPropertyDescription("Findings on the node.")
    private int findings;

    @JsonPropertyDescription("Sockets in CLOSE_WAIT on the node.")
    private long closeWait;

    @JsonPropertyDescription("Sockets in FIN_WAIT1 on the node.")
    private long finWait1;

    @JsonPropertyDescription("Orphaned sockets on the node.")
    private long orphans;

    @JsonPropertyDescription("Zombie processes on the node.")
    private long zombies;

    @JsonPropertyDescription("Severity of the node's worst finding: Info, Warning or Critical.")
    private Severity worstSeverity;

    @JsonPropertyDescription("The worst finding in a sentence.")
    @Size(max = 1024)
    private String message;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Boolean getHealthy() {
        return healthy;
    }

    public void setHealthy(Boolean healthy) {
        this.healthy = healthy;
    }

    public int getFindings() {
        return findings;
    }

    public void setFindings(int findings) {
        this.findings = findings;
    }

    public long getCloseWait() {
        return closeWait;
    }

    public void setCloseWait(long closeWait) {
        this.closeWait = closeWait;
    }

    public long getFinWait1() {
        return finWait1;
    }

    public void setFinWait1(long finWait1) {
        this.finWait1 = finWait1;
    }

    public long getOrphans() {
        return orphans;
    }

    public void setOrphans(long orphans) {
        this.orphans = orphans;
    }

    public long getZombies() {
        return zombies;
    }

    public void setZombies(long zombies) {
        this.zombies = zombies;
    }

    public Severity getWorstSeverity() {
        return worstSeverity;
    }

    public void setWorstSeverity(Severity worstSeverity) {
        this.worstSeverity = worstSeverity;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NodeSummary that)) {
            return false;
        }
        return Objects.equals(name, that.name)
                && Objects.equals(healthy, that.healthy)
                && findings == that.findings
                && closeWait == that.closeWait
                && finWait1 == that.finWait1
                && orphans == that.orphans
                && zombies == that.zombies
                && Objects.equals(worstSeverity, that.worstSeverity)
                && Objects.equals(message, that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, healthy, findings, closeWait, finWait1, orphans, zombies, worstSeverity, message);
    }

    @Override
    public String toString() {
        return "NodeSummary{"
                + "name=" + name
                + ", healthy=" + healthy
                + ", findings=" + findings
                + ", closeWait=" + closeWait
                + ", finWait1=" + finWait1
                + ", orphans=" + orphans
                + ", zombies=" + zombies
                + ", worstSeverity=" + worstSeverity
                + ", message=" + message
                + "}";
    }
}
