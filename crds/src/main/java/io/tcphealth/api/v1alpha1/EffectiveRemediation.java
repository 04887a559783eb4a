package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** {@link Remediation} after merging: each step comes whole from one policy, never mixed from several. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EffectiveRemediation {

    @JsonPropertyDescription("Effective mode: Observe, DryRun or Enforce.")
    private Sourced<RemediationMode> mode;

    @JsonPropertyDescription("Effective socket destruction; unset: never.")
    private Sourced<KillSockets> killSockets;

    @JsonPropertyDescription("Effective orphan flush; unset: never.")
    private Sourced<FlushOrphans> flushOrphans;

    @JsonPropertyDescription("Effective zombie handling; unset: never.")
    private Sourced<ZombieRemediation> zombies;

    public Sourced<RemediationMode> getMode() {
        return mode;
    }

    public void setMode(Sourced<RemediationMode> mode) {
        this.mode = mode;
    }

    public Sourced<KillSockets> getKillSockets() {
        return killSockets;
    }

    public void setKillSockets(Sourced<KillSockets> killSockets) {
        this.killSockets = killSockets;
    }

    public Sourced<FlushOrphans> getFlushOrphans() {
        return flushOrphans;
    }

    public void setFlushOrphans(Sourced<FlushOrphans> flushOrphans) {
        this.flushOrphans = flushOrphans;
    }

    public Sourced<ZombieRemediation> getZombies() {
        return zombies;
    }

    public void setZombies(Sourced<ZombieRemediation> zombies) {
        this.zombies = zombies;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EffectiveRemediation that)) {
            return false;
        }
        return Objects.equals(mode, that.mode)
                && Objects.equals(killSockets, that.killSockets)
                && Objects.equals(flushOrphans, that.flushOrphans)
                && Objects.equals(zombies, that.zombies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, killSockets, flushOrphans, zombies);
    }

    @Override
    public String toString() {
        return "EffectiveRemediation{"
                + "mode=" + mode
                + ", killSockets=" + killSockets
                + ", flushOrphans=" + flushOrphans
                + ", zombies=" + zombies
                + "}";
    }
}
