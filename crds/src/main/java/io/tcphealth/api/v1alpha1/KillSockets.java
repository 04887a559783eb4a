package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KillSockets {

    @JsonPropertyDescription("TCP states whose sockets may be destroyed. Only states in which a side has "
            + "already closed are allowed: CLOSE_WAIT, FIN_WAIT1, FIN_WAIT2, LAST_ACK, CLOSING.")
    @Required
    @Size(min = 1, max = 5)
    @ValidationRule(
            value = CelRules.CLOSING_STATES,
            message = "killSockets.states may name only closing states (CLOSE_WAIT, FIN_WAIT1, FIN_WAIT2, LAST_ACK, "
                    + "CLOSING): destroying ESTABLISHED, LISTEN or handshake sockets would cut live traffic")
    @ValidationRule(value = CelRules.UNIQUE, message = "killSockets.states lists a state twice")
    private List<SocketState> states = new ArrayList<>();

    @JsonPropertyDescription("Only sockets whose local port is listed are destroyed. Unset or empty: any port.")
    @Size(max = 64)
    @ValidationRule(value = CelRules.UNIQUE, message = "killSockets.ports lists a port twice")
    private List<@Min(1) @Max(65535) Integer> ports = new ArrayList<>();

    @JsonPropertyDescription("Only sockets held by a process with one of these command names (comm, as ps -o comm "
            + "shows it: at most 15 characters) are destroyed. Orphaned sockets, which no process holds, are then left "
            + "alone. Unset or empty: any owner, and orphans.")
    @Size(max = 32)
    @ValidationRule(
            value = CelRules.COMMAND_NAMES,
            message = "killSockets.processes names commands as the kernel keeps them: 1 to 15 characters each")
    private List<String> processes = new ArrayList<>();

    @JsonPropertyDescription("Only sockets seen in the same state for at least this long are destroyed, as a "
            + "duration such as 10m (default " + PolicyDefaults.KILL_OLDER_THAN + ", at least 30s, at most 168h).")
    @Default(PolicyDefaults.KILL_OLDER_THAN)
    @Pattern(GoDuration.PATTERN)
    @Size(max = GoDuration.MAX_LENGTH)
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) >= duration('30s')",
            message = "killSockets.olderThan must be at least 30s: younger sockets are often still closing normally")
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) <= duration('168h')",
            message = "killSockets.olderThan must be at most 168h (a week)")
    private String olderThan = PolicyDefaults.KILL_OLDER_THAN;

    @JsonPropertyDescription("At most this many sockets are destroyed per scan (default "
            + PolicyDefaults.KILL_MAX_PER_SCAN + "; 1-10000).")
    @Default("" + PolicyDefaults.KILL_MAX_PER_SCAN)
    @Min(1)
    @Max(10000)
    private Integer maxPerScan = PolicyDefaults.KILL_MAX_PER_SCAN;

    public List<SocketState> getStates() {
        return states;
    }

    public void setStates(List<SocketState> states) {
        this.states = states;
    }

    public List<Integer> getPorts() {
        return ports;
    }

    public void setPorts(List<Integer> ports) {
        this.ports = ports;
    }

    public List<String> getProcesses() {
        return processes;
    }

    public void setProcesses(List<String> processes) {
        this.processes = processes;
    }

    public String getOlderThan() {
        return olderThan;
    }

    public void setOlderThan(String olderThan) {
        this.olderThan = olderThan;
    }

    public Integer getMaxPerScan() {
        return maxPerScan;
    }

    public void setMaxPerScan(Integer maxPerScan) {
        this.maxPerScan = maxPerScan;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof KillSockets that)) {
            return false;
        }
        return Objects.equals(states, that.states)
                && Objects.equals(ports, that.ports)
                && Objects.equals(processes, that.processes)
                && Objects.equals(olderThan, that.olderThan)
                && Objects.equals(maxPerScan, that.maxPerScan);
    }

    @Override
    public int hashCode() {
        return Objects.hash(states, ports, processes, olderThan, maxPerScan);
    }

    @Override
    public String toString() {
        return "KillSockets{"
                + "states=" + states
                + ", ports=" + ports
                + ", processes=" + processes
                + ", olderThan=" + olderThan
                + ", maxPerScan=" + maxPerScan
                + "}";
    }
}
