package io.tcphealth.api.v1alpha1;

/** Which network namespaces a scan covers. */
public enum Scope {
    /** The host's network namespace only (that of PID 1). */
    Host,
    /** The host's network namespace and every pod network namespace on the node. */
    AllNamespaces
}
