/**
 * The agent loop, one for {@code tcphealth run --policy} and for the agent in a cluster: a
 * {@link io.tcphealth.agent.loop.PolicySource} (a local policy file, or this node's TcpHealthNode spec), then each
 * round ({@link io.tcphealth.agent.loop.AgentRound}) scans, diagnoses and remediates through a
 * {@link io.tcphealth.agent.loop.RoundRemediator}, and a {@link io.tcphealth.agent.loop.RoundSink} takes the
 * {@link io.tcphealth.agent.loop.Round}: the console and the metrics on a plain host; the status, Events and the
 * metrics in a cluster. The journal is prepared at start-up in one place
 * ({@link io.tcphealth.agent.remediation.JournalStartup}), and transient changes are undone however the loop ends.
 */
package io.tcphealth.agent.loop;
