package io.tcphealth.agent.remediation;

import io.tcphealth.agent.netns.NetNamespace;
import io.tcphealth.agent.proc.SysctlKey;
import java.nio.file.Path;

/**
 * A sysctl as read just before planning.
 *
 * @param observed the value, or null when it could not be read ({@code problem} says why)
 */
public record SysctlObservation(NetNamespace namespace, Path root, SysctlKey key, Long observed, String problem) {}
