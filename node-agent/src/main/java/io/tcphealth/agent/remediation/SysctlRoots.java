package io.tcphealth.agent.remediation;

import io.tcphealth.agent.proc.SysctlKey;
import java.nio.file.Path;

/**
 * Where sysctls are read and written. Per-namespace keys live under {@code <proc root>/sys} as seen
 * from a thread inside their namespace. Host-wide keys ({@code tcp_max_orphans}) live under
 * {@code global}: {@code /proc/sys} on a node, a temporary directory in tests, so a test never
 * changes a value that every namespace of the machine shares.
 */
public record SysctlRoots(Path perNamespace, Path global) {

    public Path rootFor(SysctlKey key) {
        return key.perNetns() ? perNamespace : global;
    }
}
