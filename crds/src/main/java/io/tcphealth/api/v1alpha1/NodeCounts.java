package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

public class NodeCounts {

    @JsonPropertyDescription("Nodes the policy's nodeSelector matches.")
    private int matched;

    @JsonPropertyDescription("Matched nodes whose agent has reported at least once.")
    private int reporting;

    @JsonPropertyDescription("Reporting nodes whose Healthy condition is True.")
    private int healthy;

    @JsonPropertyDescription("Reporting nodes whose Healthy condition is False.")
    private int unhealthy;

    @JsonPropertyDescription("Matched nodes whose agent has not reported for too long: no heartbeat within three times "
            + "the longer of the scan interval and the agent heartbeat, plus a grace; a node that never reported counts once "
            + "its TcpHealthNode is older than that.")
    private int stale;

    public int getMatched() {
        return matched;
    }

    public void setMatched(int matched) {
        this.matched = matched;
    }

    public int getReporting() {
        return reporting;
    }

    public void setReporting(int reporting) {
        this.reporting = reporting;
    }

    public int getHealthy() {
        return healthy;
    }

    public void setHealthy(int healthy) {
        this.healthy = healthy;
    }

    public int getUnhealthy() {
        return unhealthy;
    }

    public void setUnhealthy(int unhealthy) {
        this.unhealthy = unhealthy;
    }

    public int getStale() {
        return stale;
    }

    public void setStale(int stale) {
        this.stale = stale;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NodeCounts that)) {
            return false;
        }
        return matched == that.matched
                && reporting == that.reporting
                && healthy == that.healthy
                && unhealthy == that.unhealthy
                && stale == that.stale;
    }

    @Override
    public int hashCode() {
        return Objects.hash(matched, reporting, healthy, unhealthy, stale);
    }

    @Override
    public String toString() {
        return "NodeCounts{"
                + "matched=" + matched
                + ", reporting=" + reporting
                + ", healthy=" + healthy
                + ", unhealthy=" + unhealthy
                + ", stale=" + stale
                + "}";
    }
}
