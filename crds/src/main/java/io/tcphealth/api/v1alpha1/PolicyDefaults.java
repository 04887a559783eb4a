package io.tcphealth.api.v1alpha1;

/**
 * Every default of a TcpHealthPolicy, in one place. The field descriptions quote these (so {@code kubectl
 * explain} tells them), the schema's {@code default:} values inside the remediation steps are these, and the
 * agent fills in exactly these for whatever no policy wrote.
 *
 * <p>Keys the operator merges across policies (interval, scope, thresholds, mode) carry no schema default: the
 * API server would otherwise store a default as if the user had written it, and a defaulted value would win
 * over another policy's explicit one. Those defaults are applied after the merge, by the agent.
 */
public final class PolicyDefaults {

    public static final String INTERVAL = "30s";
    public static final Scope SCOPE = Scope.Host;
    /** {@link #SCOPE} as a constant expression, for descriptions. */
    public static final String SCOPE_NAME = "Host";

    public static final int CLOSE_WAIT_PER_PROCESS = 50;
    public static final int FIN_WAIT1 = 100;
    public static final double ORPHAN_RATIO_WARNING = 0.25;
    public static final double ORPHAN_RATIO_CRITICAL = 0.5;
    public static final long RECV_QUEUE_BYTES = 65536;
    public static final int ZOMBIES_PER_PARENT = 5;
    public static final String STUCK_AFTER = "5m";
    public static final double EPHEMERAL_PORT_RATIO_WARNING = 0.7;
    public static final double EPHEMERAL_PORT_RATIO_CRITICAL = 0.9;
    public static final long LISTEN_OVERFLOWS_PER_SCAN = 1;
    public static final int STALLED_RETRANSMITS = 5;
    public static final int ZERO_WINDOW_PROBES = 5;
    public static final double TCP_MEMORY_RATIO_WARNING = 0.8;
    /** Past the idle timeouts of common NATs and load balancers (about 4 to 6 minutes), below their longer ones. */
    public static final String IDLE_WITHOUT_KEEPALIVE_AFTER = "10m";

    public static final RemediationMode MODE = RemediationMode.Observe;
    /** {@link #MODE} as a constant expression, for descriptions. */
    public static final String MODE_NAME = "Observe";

    public static final boolean RESTORE_ON_DELETE = true;

    public static final String KILL_OLDER_THAN = "10m";
    public static final int KILL_MAX_PER_SCAN = 100;

    public static final boolean FLUSH_ENABLED = false;
    public static final String FLUSH_MAX_DURATION = "10s";
    public static final String FLUSH_COOLDOWN = "10m";

    public static final boolean ZOMBIES_SIGNAL_PARENT = false;
    public static final String ZOMBIES_OLDER_THAN = "5m";

    private PolicyDefaults() {}
}
