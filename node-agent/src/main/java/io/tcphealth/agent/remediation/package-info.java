/**
 * Remediation: what the agent changes, deliberately, boundedly, recorded before it is made and undone when it should be.
 *
 * <p>Each round {@link io.tcphealth.agent.remediation.RemediationPlanner} turns the policy, the scan, the diagnosis, the
 * sysctls just read and the journal's open changes into a {@link io.tcphealth.agent.remediation.Plan}: a list of exact
 * actions in ladder order. It is pure, so {@code DryRun} and {@code diagnose --plan} show precisely what
 * {@code Enforce} then does ({@link io.tcphealth.agent.remediation.Remediator}).
 *
 * <ol>
 *   <li>Sysctls: allow-listed keys with schema-bounded values. Per-namespace keys are held in the host's namespace and,
 *       with scope AllNamespaces, in every namespace scanned; host-wide keys ({@code tcp_max_orphans}) only in the
 *       host's, under a sysctl root that tests point at a temporary directory. A value tcphealth set and found changed
 *       is a {@code SysctlDrift} finding and is set again. Keys no policy wants any more are put back.</li>
 *   <li>Sockets: {@code SOCK_DESTROY} by namespace, 4-tuple and cookie, for sockets in the policy's closing states on its
 *       ports that have been seen in that state for at least {@code olderThan} (ages are known from the second scan
 *       on), oldest first, at most {@code maxPerScan} a round. {@code EOPNOTSUPP} or a permission error stops
 *       destroying for the life of the process, reported once a round as a note, never retried in a loop.</li>
 *   <li>The orphan pulse: only when orphaned FIN_WAIT1 sockets on the ports of interest remain that destroying will not
 *       handle (not configured, unavailable, or destroyed already and still there) and the node has more orphans than
 *       the threshold; one at a time, never within the cool-down (which outlives restarts through the journal), for
 *       at most {@code maxDuration}, original value always written back.</li>
 *   <li>Zombies: SIGCHLD to the parent of zombies older than {@code olderThan}, never to pid 1 or kernel threads, not
 *       to a pid reused since the scan; whether they went is recorded, and a parent that keeps them gets a finding.</li>
 * </ol>
 *
 * <p>Crash tests stop the agent at named points through {@link io.tcphealth.agent.remediation.PauseHook}
 * ({@code TCPHEALTH_TEST_PAUSE_AT}); unset, it does nothing.
 */
package io.tcphealth.agent.remediation;
