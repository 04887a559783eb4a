/**
 * API types of the {@code tcphealth.io/v1alpha1} custom resources: {@link io.tcphealth.api.v1alpha1.TcpHealthPolicy},
 * written by users, and {@link io.tcphealth.api.v1alpha1.TcpHealthNode}, whose spec the operator writes and whose
 * status the node agent writes. The CRD YAML is generated from these classes; descriptions therefore live in
 * {@code @JsonPropertyDescription}, which reaches {@code kubectl explain}, and not in javadoc.
 */
package io.tcphealth.api.v1alpha1;
