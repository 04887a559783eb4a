/**
 * The node-local journal of changed values. See {@link io.tcphealth.agent.journal.Journal} for the format and how damage
 * is treated, and {@code io.tcphealth.agent.remediation.JournalReplay} for the replay rule.
 */
package io.tcphealth.agent.journal;
