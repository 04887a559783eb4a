package io.tcphealth.agent.remediation;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.SysctlKey;
import java.io.IOException;
import java.nio.file.Path;

/** Reads and writes one integer sysctl under a root, inside a network namespace. */
public interface SysctlAccess {

    long read(NetNamespace namespace, Path root, SysctlKey key) throws IOException, InterruptedException;

    void write(NetNamespace namespace, Path root, SysctlKey key, long value) throws IOException, InterruptedException;
}
