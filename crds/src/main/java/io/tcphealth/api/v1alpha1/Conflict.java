package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A key that several matching policies set to different values. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Conflict {

    @JsonPropertyDescription("The contested key as a spec path, e.g. sysctls.tcpKeepaliveTime.")
    private String key;

    @JsonPropertyDescription("Policy whose value is in force (highest priority, then first by name).")
    private String winner;

    @JsonPropertyDescription("Policies whose values were overridden.")
    @Size(max = 64)
    private List<String> losers = new ArrayList<>();

    @JsonPropertyDescription("The conflict in a sentence.")
    @Size(max = 1024)
    private String message;

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getWinner() {
        return winner;
    }

    public void setWinner(String winner) {
        this.winner = winner;
    }

    public List<String> getLosers() {
        return losers;
    }

    public void setLosers(List<String> losers) {
        this.losers = losers;
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
        if (!(o instanceof Conflict that)) {
            return false;
        }
        return Objects.equals(key, that.key)
                && Objects.equals(winner, that.winner)
                && Objects.equals(losers, that.losers)
                && Objects.equals(message, that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, winner, losers, message);
    }

    @Override
    public String toString() {
        return "Conflict{" + "key=" + key + ", winner=" + winner + ", losers=" + losers + ", message=" + message + "}";
    }
}
