package io.tcphealth.api.v1alpha1;

/** How bad a finding is; ordered from least to most severe. */
public enum Severity {
    Info,
    Warning,
    Critical
}
