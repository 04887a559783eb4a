package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

public class Totals {

    @JsonPropertyDescription("Sockets in CLOSE_WAIT on the matched nodes.")
    private long closeWait;

    @JsonPropertyDescription("Sockets in FIN_WAIT1 on the matched nodes.")
    private long finWait1;

    @JsonPropertyDescription("Orphaned sockets (no owning process) on the matched nodes.")
    private long orphans;

    @JsonPropertyDescription("Zombie processes on the matched nodes.")
    private long zombies;

    @JsonPropertyDescription("Findings on the matched nodes.")
    private long findings;

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

    public long getFindings() {
        return findings;
    }

    public void setFindings(long findings) {
        this.findings = findings;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Totals that)) {
            return false;
        }
        return closeWait == that.closeWait
                && finWait1 == that.finWait1
                && orphans == that.orphans
                && zombies == that.zombies
                && findings == that.findings;
    }

    @Override
    public int hashCode() {
        return Objects.hash(closeWait, finWait1, orphans, zombies, findings);
    }

    @Override
    public String toString() {
        return "Totals{"
                + "closeWait=" + closeWait
                + ", finWait1=" + finWait1
                + ", orphans=" + orphans
                + ", zombies=" + zombies
                + ", findings=" + findings
                + "}";
    }
}
