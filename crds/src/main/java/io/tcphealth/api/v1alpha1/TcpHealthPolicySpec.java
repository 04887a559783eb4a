package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TcpHealthPolicySpec {

    @JsonPropertyDescription("Nodes this policy applies to, by node labels. Empty or unset: every node.")
    @SchemaFrom(type = NodeSelectorSchema.class)
    private LabelSelector nodeSelector;

    @JsonPropertyDescription("When several policies set the same key on a node, the highest priority wins; "
            + "ties go to the policy whose name sorts first. The loser gets a Conflict condition.")
    @Default("0")
    @Min(-1000)
    @Max(1000)
    private int priority;

    @JsonPropertyDescription("Time between two scans of a node, as a duration such as 30s, 5m or 1h. "
            + "At least 5s, at most 1h. Unset: " + PolicyDefaults.INTERVAL + ".")
    @Pattern(GoDuration.PATTERN)
    @Size(max = GoDuration.MAX_LENGTH)
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) >= duration('5s')",
            message = "interval must be at least 5s: each scan walks every socket and process on the node")
    @ValidationRule(
            value = GoDuration.RULE_GUARD + "duration(self) <= duration('1h')",
            message = "interval must be at most 1h")
    private String interval;

    @JsonPropertyDescription("Network namespaces to scan: Host (the host's own) or AllNamespaces "
            + "(the host's and every pod's). Unset: " + PolicyDefaults.SCOPE_NAME + ".")
    private Scope scope;

    @JsonPropertyDescription("Ports of special interest: checked for sockets that keep them occupied "
            + "(PortOccupied) and used to narrow findings. At most 64, each once.")
    @Size(max = 64)
    @ValidationRule(value = CelRules.UNIQUE, message = "ports lists a port twice")
    private List<@Min(1) @Max(65535) Integer> ports = new ArrayList<>();

    @JsonPropertyDescription("When a count becomes a finding.")
    @Default("{}")
    private Thresholds thresholds = new Thresholds();

    @JsonPropertyDescription("Allow-listed TCP sysctls to hold at the given values while this policy applies "
            + "(only in Enforce mode). Unset keys are left alone.")
    private Sysctls sysctls;

    @JsonPropertyDescription("What the agent may change: nothing (Observe, the default), a report of what it "
            + "would do (DryRun), or the enabled steps (Enforce).")
    @Default("{}")
    private Remediation remediation = new Remediation();

    public LabelSelector getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(LabelSelector nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public int getPriority() {
        return priority;
    }

    public void setPriority(int priority) {
        this.priority = priority;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public Scope getScope() {
        return scope;
    }

    public void setScope(Scope scope) {
        this.scope = scope;
    }

    public List<Integer> getPorts() {
        return ports;
    }

    public void setPorts(List<Integer> ports) {
        this.ports = ports;
    }

    public Thresholds getThresholds() {
        return thresholds;
    }

    public void setThresholds(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public Sysctls getSysctls() {
        return sysctls;
    }

    public void setSysctls(Sysctls sysctls) {
        this.sysctls = sysctls;
    }

    public Remediation getRemediation() {
        return remediation;
    }

    public void setRemediation(Remediation remediation) {
        this.remediation = remediation;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TcpHealthPolicySpec that)) {
            return false;
        }
        return Objects.equals(nodeSelector, that.nodeSelector)
                && priority == that.priority
                && Objects.equals(interval, that.interval)
                && Objects.equals(scope, that.scope)
                && Objects.equals(ports, that.ports)
                && Objects.equals(thresholds, that.thresholds)
                && Objects.equals(sysctls, that.sysctls)
                && Objects.equals(remediation, that.remediation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeSelector, priority, interval, scope, ports, thresholds, sysctls, remediation);
    }

    @Override
    public String toString() {
        return "TcpHealthPolicySpec{"
                + "nodeSelector=" + nodeSelector
                + ", priority=" + priority
                + ", interval=" + interval
                + ", scope=" + scope
                + ", ports=" + ports
                + ", thresholds=" + thresholds
                + ", sysctls=" + sysctls
                + ", remediation=" + remediation
                + "}";
    }
}
