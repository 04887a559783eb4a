package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Remediation {

    @JsonPropertyDescription("Observe changes nothing; DryRun reports exactly what Enforce would do; Enforce "
            + "applies the sysctls and runs the enabled steps below. Unset: " + PolicyDefaults.MODE_NAME + ".")
    private RemediationMode mode;

    @JsonPropertyDescription("Destroy sockets stuck in closing states (SOCK_DESTROY; needs a kernel built with "
            + "CONFIG_INET_DIAG_DESTROY). Unset: never.")
    private KillSockets killSockets;

    @JsonPropertyDescription("Drop orphaned sockets by setting net.ipv4.tcp_max_orphans to 0 for a bounded time "
            + "and then restoring it; used only when destroying the sockets did not free them. Unset: never.")
    private FlushOrphans flushOrphans;

    @JsonPropertyDescription("Ask the parents of zombie processes to reap them (SIGCHLD). Unset: never.")
    private ZombieRemediation zombies;

    @JsonPropertyDescription("When this policy is deleted, put back every value it changed (default "
            + PolicyDefaults.RESTORE_ON_DELETE + ").")
    @Default("" + PolicyDefaults.RESTORE_ON_DELETE)
    private Boolean restoreOnDelete = PolicyDefaults.RESTORE_ON_DELETE;

    public RemediationMode getMode() {
        return mode;
    }

    public void setMode(RemediationMode mode) {
        this.mode = mode;
    }

    public KillSockets getKillSockets() {
        return killSockets;
    }

    public void setKillSockets(KillSockets killSockets) {
        this.killSockets = killSockets;
    }

    public FlushOrphans getFlushOrphans() {
        return flushOrphans;
    }

    public void setFlushOrphans(FlushOrphans flushOrphans) {
        this.flushOrphans = flushOrphans;
    }

    public ZombieRemediation getZombies() {
        return zombies;
    }

    public void setZombies(ZombieRemediation zombies) {
        this.zombies = zombies;
    }

    public Boolean getRestoreOnDelete() {
        return restoreOnDelete;
    }

    public void setRestoreOnDelete(Boolean restoreOnDelete) {
        this.restoreOnDelete = restoreOnDelete;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Remediation that)) {
            return false;
        }
        return Objects.equals(mode, that.mode)
                && Objects.equals(killSockets, that.killSockets)
                && Objects.equals(flushOrphans, that.flushOrphans)
                && Objects.equals(zombies, that.zombies)
                && Objects.equals(restoreOnDelete, that.restoreOnDelete);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, killSockets, flushOrphans, zombies, restoreOnDelete);
    }

    @Override
    public String toString() {
        return "Remediation{"
                + "mode=" + mode
                + ", killSockets=" + killSockets
                + ", flushOrphans=" + flushOrphans
                + ", zombies=" + zombies
                + ", restoreOnDelete=" + restoreOnDelete
                + "}";
    }
}
