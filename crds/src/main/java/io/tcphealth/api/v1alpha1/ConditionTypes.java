package io.tcphealth.api.v1alpha1;

/**
 * The condition types of the two kinds, as the operator, the agent and the printer columns name them. String
 * constants rather than an enum: a condition's type is a string in the Kubernetes schema, and the operator
 * switches on it.
 */
public final class ConditionTypes {

    /** TcpHealthPolicy: applied to every matched node. */
    public static final String READY = "Ready";
    /** TcpHealthPolicy: invalid, or some matched nodes unhealthy or silent. */
    public static final String DEGRADED = "Degraded";
    /** TcpHealthPolicy: some of its keys are overridden by a higher-priority policy. */
    public static final String CONFLICT = "Conflict";

    /** TcpHealthNode: no warning or critical finding; the policy's Healthy column counts these. */
    public static final String HEALTHY = "Healthy";
    /** TcpHealthNode: every sysctl the spec asks for holds. */
    public static final String SYSCTLS_APPLIED = "SysctlsApplied";
    /** TcpHealthNode: the last round changed something. */
    public static final String REMEDIATING = "Remediating";
    /** TcpHealthNode: the agent runs and accepts its spec. */
    public static final String AGENT_READY = "AgentReady";

    private ConditionTypes() {}
}
