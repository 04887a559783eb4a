package io.tcphealth.api.v1alpha1;

/** How far the agent may go. */
public enum RemediationMode {
    /** Scan and report; change nothing. */
    Observe,
    /** Report exactly what Enforce would do, without doing it. */
    DryRun,
    /** Apply sysctls and run the enabled remediation steps. */
    Enforce
}
