/**
 * Policy files: a {@code TcpHealthPolicy} read from YAML and checked completely (schema bounds from the API types'
 * annotations, the CRD's rules in Java) before anything is changed.
 */
package io.tcphealth.agent.policy;
