package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** A zombie is gone only when its parent calls wait(); SIGCHLD reminds a parent that merely missed it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ZombieRemediation {

    @JsonPropertyDescription("Send SIGCHLD to the parent of zombies older than olderThan (default "
            + PolicyDefaults.ZOMBIES_SIGNAL_PARENT + "). "
            + "PID 1 of the host and kernel threads are never signalled.")
    @Default("" + PolicyDefaults.ZOMBIES_SIGNAL_PARENT)
    private Boolean signalParent = PolicyDefaults.ZOMBIES_SIGNAL_PARENT;

    @JsonPropertyDescription("Only zombies at least this old count, as a duration such as 5m (default "
            + PolicyDefaults.ZOMBIES_OLDER_THAN + ", at least 10s, at most 168h).")
    @Default(PolicyDefaults.ZOMBIES_OLDER_THAN)
    @Pattern(GoDuration.PATTERN)
    @Size(max = GoDuration.MAX_LENGTH)
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) >= duration('10s')",
            message = "zombies.olderThan must be at least 10s")
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) <= duration('168h')",
            message = "zombies.olderThan must be at most 168h (a week)")
    private String olderThan = PolicyDefaults.ZOMBIES_OLDER_THAN;

    public Boolean getSignalParent() {
        return signalParent;
    }

    public void setSignalParent(Boolean signalParent) {
        this.signalParent = signalParent;
    }

    public String getOlderThan() {
        return olderThan;
    }

    public void setOlderThan(String olderThan) {
        this.olderThan = olderThan;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ZombieRemediation that)) {
            return false;
        }
        return Objects.equals(signalParent, that.signalParent) && Objects.equals(olderThan, that.olderThan);
    }

    @Override
    public int hashCode() {
        return Objects.hash(signalParent, olderThan);
    }

    @Override
    public String toString() {
        return "ZombieRemediation{" + "signalParent=" + signalParent + ", olderThan=" + olderThan + "}";
    }
}
