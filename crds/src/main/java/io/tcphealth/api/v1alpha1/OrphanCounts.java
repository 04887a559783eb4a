package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Orphans are node-wide: /proc/net/sockstat counts them for the host even inside a pod's namespace. */
public class OrphanCounts {

    @JsonPropertyDescription("Orphaned sockets (no owning process) on the node.")
    private long count;

    @JsonPropertyDescription("net.ipv4.tcp_max_orphans.")
    private long max;

    @JsonPropertyDescription("count / max.")
    private double ratio;

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    public long getMax() {
        return max;
    }

    public void setMax(long max) {
        this.max = max;
    }

    public double getRatio() {
        return ratio;
    }

    public void setRatio(double ratio) {
        this.ratio = ratio;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OrphanCounts that)) {
            return false;
        }
        return count == that.count && max == that.max && Double.compare(ratio, that.ratio) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, max, ratio);
    }

    @Override
    public String toString() {
        return "OrphanCounts{" + "count=" + count + ", max=" + max + ", ratio=" + ratio + "}";
    }
}
