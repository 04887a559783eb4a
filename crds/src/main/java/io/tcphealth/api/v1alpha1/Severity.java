package io.tcphealth.api.v1alpha1;

/** How bad a finding is; ordered from least to most severe. */
public enum Severity {
    /** Worth knowing, nothing to do yet. */
    Info,
    /** Will hurt if it goes on: look at it. */
    Warning,
    /** Hurting now, or about to: act. */
    Critical;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    public static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
