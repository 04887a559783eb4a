package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One per node, named after the node. The operator writes the spec (the node's effective configuration); the
 * node's agent writes the status (what it found and did). Cluster-scoped.
 */
@JsonClassDescription("TcpHealthNode is one node as tcphealth sees it, named after the node: the effective "
        + "configuration the operator merged from every matching TcpHealthPolicy (spec) and what the node "
        + "agent found and did (status).")
@Group(TcpHealthPolicy.GROUP)
@Version(TcpHealthPolicy.VERSION)
@Kind("TcpHealthNode")
@Plural("tcphealthnodes")
@Singular("tcphealthnode")
@ShortNames("thn")
@AdditionalPrinterColumn(
        name = "Policies",
        type = Type.STRING,
        jsonPath = ".spec.policies",
        getDescription = "Policies that match the node, highest priority first")
@AdditionalPrinterColumn(
        name = "CLOSE_WAIT",
        type = Type.INTEGER,
        jsonPath = ".status.states.closeWait",
        getDescription = "CLOSE_WAIT sockets in the scanned network namespaces")
@AdditionalPrinterColumn(
        name = "FIN_WAIT1",
        type = Type.INTEGER,
        jsonPath = ".status.states.finWait1",
        getDescription = "FIN_WAIT1 sockets in the scanned network namespaces")
@AdditionalPrinterColumn(
        name = "Orphans",
        type = Type.INTEGER,
        jsonPath = ".status.orphans.count",
        getDescription = "Orphaned sockets on the node")
@AdditionalPrinterColumn(
        name = "Zombies",
        type = Type.INTEGER,
        jsonPath = ".status.zombies.count",
        getDescription = "Zombie processes on the node")
@AdditionalPrinterColumn(
        name = "Healthy",
        type = Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Healthy\")].status",
        getDescription = "The node's Healthy condition")
@AdditionalPrinterColumn(
        name = "Last Scan",
        type = Type.DATE,
        jsonPath = ".status.lastScan.time",
        getDescription = "When the last scan started")
public class TcpHealthNode extends CustomResource<TcpHealthNodeSpec, TcpHealthNodeStatus> {

    @Override
    @JsonPropertyDescription("The node's effective configuration after merging every matching policy. "
            + "Written by the operator only.")
    public TcpHealthNodeSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the node's agent found and did. Written by that node's agent only.")
    public TcpHealthNodeStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected TcpHealthNodeSpec initSpec() {
        return new TcpHealthNodeSpec();
    }
}
