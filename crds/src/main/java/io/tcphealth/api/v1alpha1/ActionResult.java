package io.tcphealth.api.v1alpha1;

/** How a remediation action ended. */
public enum ActionResult {
    /** It was done. */
    Done,
    /** DryRun mode: it would have been done. */
    DryRun,
    /** It was tried and did not work; the message says why. */
    Failed,
    /** It was not tried, or no longer needed (the socket or process was already gone). */
    Skipped
}
