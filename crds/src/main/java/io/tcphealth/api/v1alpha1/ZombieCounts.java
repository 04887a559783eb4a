package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

public class ZombieCounts {

    @JsonPropertyDescription("Zombie processes (state Z) on the node.")
    private int count;

    @JsonPropertyDescription("Distinct parents that have not reaped them.")
    private int parents;

    public int getCount() {
        return count;
    }

    public void setCount(int count) {
        this.count = count;
    }

    public int getParents() {
        return parents;
    }

    public void setParents(int parents) {
        this.parents = parents;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ZombieCounts that)) {
            return false;
        }
        return count == that.count && parents == that.parents;
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, parents);
    }

    @Override
    public String toString() {
        return "ZombieCounts{" + "count=" + count + ", parents=" + parents + "}";
    }
}
