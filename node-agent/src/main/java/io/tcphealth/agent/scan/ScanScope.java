package io.tcphealth.agent.scan;

/** Which network namespaces a scan covers. */
public enum ScanScope {
    /** Only the namespace that counts as the host's. */
    HOST,
    /** The host's and every other namespace a process lives in (pods, containers). */
    ALL
}
