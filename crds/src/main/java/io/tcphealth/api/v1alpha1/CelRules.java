package io.tcphealth.api.v1alpha1;

/**
 * The CEL rules of the policy schema that are not plain duration comparisons, as constants: the annotations
 * that put them into the CRD and the Java twins that enforce them outside the API server
 * ({@code validation.CelTwins}) name the same text, so a rule cannot be added to one and forgotten in the other.
 */
public final class CelRules {

    /** Every entry of a list appears once. */
    public static final String UNIQUE = "self.all(x, self.exists_one(y, y == x))";

    /** Only states in which one side has already closed may be destroyed. */
    public static final String CLOSING_STATES =
            "self.all(s, s in ['CLOSE_WAIT', 'FIN_WAIT1', 'FIN_WAIT2', 'LAST_ACK', 'CLOSING'])";

    /** Command names as the kernel keeps them (TASK_COMM_LEN is 16 with the terminating NUL). */
    public static final String COMMAND_NAMES = "self.all(p, size(p) >= 1 && size(p) <= 15)";

    /** Warning below critical, each side taken at its default when unset (defaults are applied after merging). */
    public static final String ORPHAN_RATIOS_ORDERED =
            "(has(self.orphanRatioWarning) ? self.orphanRatioWarning : " + PolicyDefaults.ORPHAN_RATIO_WARNING + ")"
                    + " < (has(self.orphanRatioCritical) ? self.orphanRatioCritical : "
                    + PolicyDefaults.ORPHAN_RATIO_CRITICAL + ")";

    /** The same for the ephemeral port ratios. */
    public static final String EPHEMERAL_PORT_RATIOS_ORDERED =
            "(has(self.ephemeralPortRatioWarning) ? self.ephemeralPortRatioWarning : "
                    + PolicyDefaults.EPHEMERAL_PORT_RATIO_WARNING + ")"
                    + " < (has(self.ephemeralPortRatioCritical) ? self.ephemeralPortRatioCritical : "
                    + PolicyDefaults.EPHEMERAL_PORT_RATIO_CRITICAL + ")";

    private CelRules() {}
}
