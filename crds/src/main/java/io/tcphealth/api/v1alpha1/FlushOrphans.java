package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * The orphan pulse. Orphans are counted against the global {@code tcp_max_orphans}; with the limit at 0 the
 * kernel drops them, including FIN_WAIT1 sockets that SOCK_DESTROY may not free before Linux 6.11.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FlushOrphans {

    @JsonPropertyDescription("Allow the pulse at all (default " + PolicyDefaults.FLUSH_ENABLED + ").")
    @Default("" + PolicyDefaults.FLUSH_ENABLED)
    private Boolean enabled = PolicyDefaults.FLUSH_ENABLED;

    @JsonPropertyDescription("Pulse only when the node has more orphaned sockets than this (0-16777216; "
            + "unset: any number). Even then the pulse is used only when destroying the sockets did not free them.")
    @Min(0)
    @Max(16777216)
    private Integer whenOrphansAbove;

    @JsonPropertyDescription("Longest time tcp_max_orphans stays at 0 before the original value is put back "
            + "(default " + PolicyDefaults.FLUSH_MAX_DURATION + "; more than 0s, at most 60s).")
    @Default(PolicyDefaults.FLUSH_MAX_DURATION)
    @Pattern(GoDuration.PATTERN)
    @Size(max = GoDuration.MAX_LENGTH)
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) > duration('0s') && duration(self) <= duration('60s')",
            message = "flushOrphans.maxDuration must be more than 0s and at most 60s: while the limit is 0 the "
                    + "kernel resets every socket that becomes orphaned")
    private String maxDuration = PolicyDefaults.FLUSH_MAX_DURATION;

    @JsonPropertyDescription("Least time between two pulses on a node (default " + PolicyDefaults.FLUSH_COOLDOWN
            + "; at least 1m, at most 168h).")
    @Default(PolicyDefaults.FLUSH_COOLDOWN)
    @Pattern(GoDuration.PATTERN)
    @Size(max = GoDuration.MAX_LENGTH)
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) >= duration('1m')",
            message = "flushOrphans.cooldown must be at least 1m")
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) <= duration('168h')",
            message = "flushOrphans.cooldown must be at most 168h (a week)")
    private String cooldown = PolicyDefaults.FLUSH_COOLDOWN;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Integer getWhenOrphansAbove() {
        return whenOrphansAbove;
    }

    public void setWhenOrphansAbove(Integer whenOrphansAbove) {
        this.whenOrphansAbove = whenOrphansAbove;
    }

    public String getMaxDuration() {
        return maxDuration;
    }

    public void setMaxDuration(String maxDuration) {
        this.maxDuration = maxDuration;
    }

    public String getCooldown() {
        return cooldown;
    }

    public void setCooldown(String cooldown) {
        this.cooldown = cooldown;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FlushOrphans that)) {
            return false;
        }
        return Objects.equals(enabled, that.enabled)
                && Objects.equals(whenOrphansAbove, that.whenOrphansAbove)
                && Objects.equals(maxDuration, that.maxDuration)
                && Objects.equals(cooldown, that.cooldown);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, whenOrphansAbove, maxDuration, cooldown);
    }

    @Override
    public String toString() {
        return "FlushOrphans{"
                + "enabled=" + enabled
                + ", whenOrphansAbove=" + whenOrphansAbove
                + ", maxDuration=" + maxDuration
                + ", cooldown=" + cooldown
                + "}";
    }
}
