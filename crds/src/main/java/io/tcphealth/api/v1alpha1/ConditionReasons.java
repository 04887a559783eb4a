package io.tcphealth.api.v1alpha1;

/**
 * The reasons of the two kinds' conditions (see {@link ConditionTypes}), as the operator and the agent write them.
 * They are part of the API: {@code kubectl describe}, Events and users' alerts match on them, so a value never
 * changes once released; a new situation gets a new reason. Each is CamelCase, as Kubernetes requires of a
 * condition's reason.
 */
public final class ConditionReasons {

    /** Policy Ready=False and Degraded=True: the spec cannot be applied (the message says why). */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** Policy Ready=False: the nodeSelector matches no node. */
    public static final String NO_MATCHING_NODES = "NoMatchingNodes";
    /** Policy Ready=False: some matched nodes have not reported the current configuration yet. */
    public static final String WAITING_FOR_AGENTS = "WaitingForAgents";
    /** Policy Ready=True: applied on every matched node. Node SysctlsApplied=True: every desired value holds. */
    public static final String IN_FORCE = "InForce";

    /** Policy Degraded=False: every matched node reports and is healthy. */
    public static final String AS_EXPECTED = "AsExpected";
    /** Policy Degraded=True: some matched nodes report findings. */
    public static final String NODES_UNHEALTHY = "NodesUnhealthy";
    /** Policy Degraded=True: some matched agents have stopped reporting (the more urgent news). */
    public static final String AGENTS_STALE = "AgentsStale";

    /** Policy Conflict=False: every key the policy sets is in force. */
    public static final String NO_CONFLICT = "NoConflict";
    /** Policy Conflict=True: a higher-priority policy wins some of its keys. */
    public static final String OVERRIDDEN = "Overridden";

    /** Node Healthy=True: no finding at Warning or above. */
    public static final String NO_PROBLEMS = "NoProblems";
    /** Node Healthy=False: the worst finding is a Warning. */
    public static final String WARNING_FINDINGS = "WarningFindings";
    /** Node Healthy=False: the worst finding is Critical. */
    public static final String CRITICAL_FINDINGS = "CriticalFindings";

    /** Node SysctlsApplied=False: some desired sysctl values do not hold. */
    public static final String NOT_APPLIED = "NotApplied";

    /** Node Remediating=True: the last scan's round did something. */
    public static final String ACTIONS_TAKEN = "ActionsTaken";
    /** Node Remediating=False: no remediation action in the last scan. */
    public static final String IDLE = "Idle";

    /** Node AgentReady=True: the agent scans and reports. */
    public static final String SCANNING = "Scanning";
    /** Node AgentReady=False: the agent refuses the current spec and keeps acting on the previous one. */
    public static final String SPEC_REFUSED = "SpecRefused";

    private ConditionReasons() {}
}
